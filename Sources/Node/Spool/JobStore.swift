import FileSystem
import Foundation

/// The jobs/ tree: each job is a folder moved between ready/, running/, done/ and failed/ by
/// rename; its job.json is rewritten durably. Only the daemon's main loop (and `ctperf retry`,
/// through `requeue`) changes it.
public struct JobStore: Sendable {
    public let layout: StateLayout

    public init(layout: StateLayout) { self.layout = layout }

    public func folder(_ id: String, _ state: JobState) -> String { layout.jobs(state) + "/" + id }
    func recordPath(_ id: String, _ state: JobState) -> String { folder(id, state) + "/job.json" }

    /// The job's state and record, wherever it is; nil when there is no such job.
    public func find(_ id: String) -> JobRecord? {
        for s in JobState.allCases {
            if let r = try? JSONFile.read(JobRecord.self, from: recordPath(id, s)) {
                var r = r
                r.state = s   // the folder is the truth; the field follows it
                return r
            }
        }
        return nil
    }

    /// Every job in one state, oldest first.
    public func all(_ state: JobState) -> [JobRecord] {
        Directory.list(layout.jobs(state)).compactMap { id in
            guard var r = try? JSONFile.read(JobRecord.self, from: recordPath(id, state)) else { return nil }
            r.state = state
            return r
        }.sorted { ($0.updatedAt, $0.id) < ($1.updatedAt, $1.id) }
    }

    /// Creates a new job folder in ready/ (job.json written inside a temporary folder first, so a
    /// half-created job is never visible).
    public func create(_ record: JobRecord) throws {
        var r = record
        r.state = .ready
        let temp = layout.jobs + "/.new-" + r.id
        try? Directory.remove(temp)
        try Directory.create(temp)
        try JSONFile.write(r, to: temp + "/job.json")
        try Directory.move(temp, to: folder(r.id, .ready))
    }

    /// Rewrites the record in its current folder.
    public func save(_ record: JobRecord) throws {
        try JSONFile.write(record, to: recordPath(record.id, record.state))
    }

    /// Moves a job to another state: the record (with its new state, error and history) is
    /// written first, then the folder is renamed — the rename is the state change, and a reader
    /// who sees the folder in its new place also sees its final record. After a crash between the
    /// two, `find` reports the folder's state, which is the truth.
    @discardableResult
    public func move(_ record: JobRecord, to state: JobState) throws -> JobRecord {
        var r = record
        let from = r.state
        r.state = state
        try JSONFile.write(r, to: recordPath(r.id, from))
        try Directory.move(folder(r.id, from), to: folder(r.id, state))
        return r
    }

    /// A failed job back to ready/ with its attempts reset (`ctperf retry`).
    public func requeue(_ id: String, reason: String, now: Date = Date()) throws -> JobRecord {
        guard var r = find(id) else {
            throw NodeError("no job '\(id)' in \(layout.jobs) (ctperf status lists the jobs)")
        }
        guard r.state == .failed else {
            throw NodeError("job \(id) is \(r.state.rawValue), not failed: only failed jobs can be retried")
        }
        r.attempts = 0
        r.error = nil
        r.note("retry", reason, at: now)
        return try move(r, to: .ready)
    }
}

/// An error of the node's runtime with a message for the sysadmin.
public struct NodeError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
