import FileSystem
import Foundation

/// Send state of one destination for one outbox entry.
public struct DestinationSendState: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable { case pending, sent, failed }
    public var name: String
    public var aeTitle: String
    public var host: String
    public var port: Int
    public var state: State
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastError: String?
    public var sentAt: Date?
    /// Sent over DICOM TLS (the destination's tls = true when the entry was made); nil = plain.
    public var tls: Bool? = nil
}

/// outbox/<state>/<job>_v<N>/send.json: the SC + SR files of one job version and where they go.
public struct OutboxRecord: Sendable, Codable, Equatable {
    public var name: String          // <job>_v<N>
    public var jobID: String
    public var version: Int
    public var createdAt: Date
    /// File names inside the entry's folder.
    public var files: [String]
    public var destinations: [DestinationSendState]

    /// Every destination has an outcome.
    public var finished: Bool { destinations.allSatisfy { $0.state != .pending } }
}

/// The outbox/ tree. An entry is built in a temporary folder and renamed into pending/ (the
/// commit point of a finished analysis); when every destination has an outcome it moves to
/// sent/ (all delivered) or failed/ (some rejected, with the reason in send.json).
public struct Outbox: Sendable {
    public let layout: StateLayout

    public init(layout: StateLayout) { self.layout = layout }

    public func folder(_ name: String, _ state: OutboxState) -> String { layout.outbox(state) + "/" + name }

    public func exists(_ name: String) -> Bool {
        OutboxState.allCases.contains { FileManager.default.fileExists(atPath: folder(name, $0)) }
    }

    /// The DICOM files of an analysis (results/.../dicom/*.dcm), sorted.
    public static func dicomFiles(in directory: String) -> [String] {
        Directory.list(directory).filter { $0.hasSuffix(".dcm") }.map { directory + "/" + $0 }
    }

    /// Queues files for every destination (hard links when possible, else copies).
    public func create(job: JobRecord, files: [String], destinations: [NodeConfiguration.Destination], now: Date) throws {
        let name = job.versionName
        let temp = layout.outbox + "/.new-" + name
        try Directory.remove(temp)
        try Directory.create(temp)
        var names: [String] = []
        for f in files {
            let base = f.split(separator: "/").last.map(String.init) ?? f
            let target = temp + "/" + base
            if link(f, target) != 0 { try FileManager.default.copyItem(atPath: f, toPath: target) }
            try PosixFile.syncPath(target)
            names.append(base)
        }
        let record = OutboxRecord(
            name: name, jobID: job.id, version: job.version, createdAt: now, files: names,
            destinations: destinations.map {
                DestinationSendState(name: $0.name, aeTitle: $0.aeTitle, host: $0.host, port: $0.port,
                                     state: .pending, attempts: 0, nextAttemptAt: now, lastError: nil, sentAt: nil,
                                     tls: $0.tls ? true : nil)
            })
        try JSONFile.write(record, to: temp + "/send.json")
        try Directory.move(temp, to: folder(name, .pending))
    }

    public func all(_ state: OutboxState) -> [OutboxRecord] {
        Directory.list(layout.outbox(state)).compactMap {
            try? JSONFile.read(OutboxRecord.self, from: folder($0, state) + "/send.json")
        }.sorted { ($0.createdAt, $0.name) < ($1.createdAt, $1.name) }
    }

    public func save(_ record: OutboxRecord, in state: OutboxState) throws {
        try JSONFile.write(record, to: folder(record.name, state) + "/send.json")
    }

    public func move(_ name: String, from: OutboxState, to: OutboxState) throws {
        try Directory.move(folder(name, from), to: folder(name, to))
    }

    /// A failed entry back to pending/, its failed destinations reset (`ctperf retry`).
    public func requeue(_ name: String, now: Date = Date()) throws {
        let path = folder(name, .failed) + "/send.json"
        guard var r = try? JSONFile.read(OutboxRecord.self, from: path) else {
            throw NodeError("no failed send '\(name)' in \(layout.outbox(.failed))")
        }
        for i in r.destinations.indices where r.destinations[i].state == .failed {
            r.destinations[i].state = .pending
            r.destinations[i].attempts = 0
            r.destinations[i].nextAttemptAt = now
        }
        try JSONFile.write(r, to: path)
        try move(name, from: .failed, to: .pending)
    }
}
