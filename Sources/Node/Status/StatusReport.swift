import Foundation

/// What `ctperf status` shows: read from the state directory alone (works whether or not the
/// daemon runs). Schema `ctperf.status/1`.
public struct StatusReport: Sendable, Codable {
    public struct Study: Sendable, Codable {
        public var studyInstanceUID: String
        public var series: Int
        public var instances: Int
        public var lastArrival: Date?
    }
    public struct Job: Sendable, Codable {
        public var id: String
        public var state: JobState
        public var version: Int
        public var attempts: Int
        public var studyInstanceUID: String
        public var instances: Int
        public var updatedAt: Date
        public var error: String?
        public var resultsPath: String?
    }
    public struct Send: Sendable, Codable {
        public var name: String
        public var state: OutboxState
        public var destinations: [DestinationSendState]
    }

    public var schema = "ctperf.status/1"
    public var stateDir: String
    public var daemonRunning: Bool
    public var daemon: DaemonStatus?
    public var studies: [Study]
    public var jobs: [Job]
    public var sends: [Send]

    /// Reads the state directory. Throws when it does not exist.
    public static func read(stateDir: String, now: Date = Date()) throws -> StatusReport {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: stateDir, isDirectory: &isDir), isDir.boolValue else {
            throw NodeError("state directory \(stateDir) does not exist (node.state_dir in the configuration; is ctperfd installed?)")
        }
        let layout = StateLayout(root: stateDir)
        let daemon = try? JSONFile.read(DaemonStatus.self, from: layout.statusFile)
        let running = daemon.map {
            now.timeIntervalSince($0.updatedAt) < DaemonStatus.staleAfterSeconds && $0.state != "stopped"
                && FileManager.default.fileExists(atPath: "/proc/\($0.pid)")
        } ?? false

        var studies: [Study] = []
        for uid in Directory.list(layout.incoming) {
            let dir = layout.incoming + "/" + uid
            let series = Directory.list(dir)
            var instances = 0
            var last: Date?
            for s in series {
                for f in Directory.list(dir + "/" + s) where f.hasSuffix(".dcm") {
                    instances += 1
                    if let d = (try? FileManager.default.attributesOfItem(atPath: "\(dir)/\(s)/\(f)"))?[.modificationDate] as? Date {
                        last = max(last ?? d, d)
                    }
                }
            }
            studies.append(Study(studyInstanceUID: uid, series: series.count, instances: instances, lastArrival: last))
        }
        let store = JobStore(layout: layout)
        let jobs = JobState.allCases.flatMap { store.all($0) }.map {
            Job(id: $0.id, state: $0.state, version: $0.version, attempts: $0.attempts, studyInstanceUID: $0.studyInstanceUID,
                instances: $0.inputs.count, updatedAt: $0.updatedAt, error: $0.error, resultsPath: $0.resultsPath)
        }
        let outbox = Outbox(layout: layout)
        let sends = OutboxState.allCases.flatMap { state in
            outbox.all(state).map { Send(name: $0.name, state: state, destinations: $0.destinations) }
        }
        return StatusReport(stateDir: stateDir, daemonRunning: running, daemon: daemon, studies: studies, jobs: jobs, sends: sends)
    }

    /// The human-readable form.
    public func text(now: Date = Date()) -> String {
        let iso = ISO8601DateFormatter()
        func ago(_ d: Date?) -> String {
            guard let d else { return "-" }
            let s = Int(now.timeIntervalSince(d))
            return s < 120 ? "\(s) s ago" : s < 7200 ? "\(s / 60) min ago" : s < 172_800 ? "\(s / 3600) h ago" : iso.string(from: d)
        }
        var out: [String] = []
        if let d = daemon, daemonRunning {
            out.append("ctperfd \(d.version) running (pid \(d.pid), AE \(d.aeTitle), port \(d.port), since \(iso.string(from: d.startedAt)))")
            out.append("  \(d.summary)")
            if let e = d.lastReloadError { out.append("  last reload rejected: \(e)") }
        } else if let d = daemon {
            out.append("ctperfd not running (last status \(ago(d.updatedAt)), state \(d.state))")
        } else {
            out.append("ctperfd not running (no status file in \(stateDir))")
        }
        out.append("")
        out.append("studies received: \(studies.count)")
        for s in studies {
            out.append("  \(s.studyInstanceUID)  \(s.series) series, \(s.instances) instances, last \(ago(s.lastArrival))")
        }
        out.append("")
        for state in JobState.allCases {
            let list = jobs.filter { $0.state == state }
            out.append("jobs \(state.rawValue): \(list.count)")
            for j in list {
                var line = "  \(j.id) v\(j.version)  \(j.instances) instances, attempt \(j.attempts), \(ago(j.updatedAt))"
                if let e = j.error, state == .failed || state == .ready { line += "\n      reason: \(e)" }
                if let r = j.resultsPath, state == .done { line += "\n      results: \(r)" }
                out.append(line)
            }
        }
        out.append("")
        for state in OutboxState.allCases {
            let list = sends.filter { $0.state == state }
            out.append("sends \(state.rawValue): \(list.count)")
            for s in list {
                for d in s.destinations {
                    var line = "  \(s.name) -> \(d.name) (\(d.aeTitle)@\(d.host):\(d.port)): \(d.state.rawValue), \(d.attempts) attempts"
                    if d.state == .pending && d.attempts > 0 { line += ", next \(iso.string(from: d.nextAttemptAt))" }
                    if let e = d.lastError { line += "\n      last error: \(e)" }
                    out.append(line)
                }
            }
        }
        return out.joined(separator: "\n")
    }
}
