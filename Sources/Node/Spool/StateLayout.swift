import FileSystem
import Foundation

/// The state directory (DESIGN.md section 3). Every state change is a rename inside it, so `ls`
/// shows the state and a restart resumes:
///
///     incoming/<study>/<series>/<sop>.dcm   received instances, durable before Success is sent
///     jobs/ready|running|done|failed/<job>/ job.json (state, version, attempts, history, inputs)
///     outbox/pending|sent|failed/<job>_v<N>/  SC + SR files and send.json (per-destination state)
///     status.json                            the daemon's live figures, for `ctperf status`
///
/// Directories are created 0750 and files 0640 (the spool holds patient data).
public struct StateLayout: Sendable {
    public let root: String

    public init(root: String) { self.root = root }

    public var incoming: String { root + "/incoming" }
    public var jobs: String { root + "/jobs" }
    public var outbox: String { root + "/outbox" }
    public var statusFile: String { root + "/status.json" }

    public func jobs(_ state: JobState) -> String { jobs + "/" + state.rawValue }
    public func outbox(_ state: OutboxState) -> String { outbox + "/" + state.rawValue }

    /// incoming/<study>/<series>/<sop>.dcm. The UIDs must already be validated (digits and dots).
    public func instancePath(study: String, series: String, sop: String) -> String {
        "\(incoming)/\(study)/\(series)/\(sop).dcm"
    }

    /// Creates every directory of the layout (0750).
    public func create() throws {
        var dirs = [root, incoming, jobs, outbox]
        dirs += JobState.allCases.map { jobs($0) }
        dirs += OutboxState.allCases.map { outbox($0) }
        for d in dirs { try Directory.create(d) }
    }
}

/// Directory helpers: creation with mode 0750 and a durable parent entry, listing without dot files.
public enum Directory {
    /// Creates `path` and missing parents (0750); the parent of each new directory is fsynced so
    /// the new entry survives a power loss.
    public static func create(_ path: String) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
            guard isDir.boolValue else {
                throw FileSystemError(call: "mkdir (a file is in the way)", path: path, errorNumber: EEXIST)
            }
            return
        }
        let parent = DurableFile.directoryOf(path)
        if parent != path { try create(parent) }
        if mkdir(path, 0o750) != 0 && errno != EEXIST {
            throw FileSystemError(call: "mkdir", path: path, errorNumber: errno)
        }
        try PosixFile.syncPath(parent, directory: true)
    }

    /// Names in a directory, without dot files (temporaries), sorted; [] when it does not exist.
    public static func list(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
            .filter { !$0.hasPrefix(".") }
            .sorted()
    }

    /// Renames a directory entry and fsyncs both parents (the state change is then durable).
    public static func move(_ from: String, to: String) throws {
        try PosixFile.renameFile(from, to: to)
        let a = DurableFile.directoryOf(from), b = DurableFile.directoryOf(to)
        try PosixFile.syncPath(a, directory: true)
        if b != a { try PosixFile.syncPath(b, directory: true) }
    }

    /// Removes a tree; errors are reported to the caller.
    public static func remove(_ path: String) throws {
        if FileManager.default.fileExists(atPath: path) {
            try FileManager.default.removeItem(atPath: path)
        }
    }
}
