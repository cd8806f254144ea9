import Foundation
import Synchronization

/// The daemon's event log: one line per event on stderr (journald adds time and unit), e.g.
/// `info job=20261125-1402-a3f9c2d1 event=job-done version=1 core_ml=19.5`.
/// Values are identifiers and figures only — never patient names or IDs (DESIGN.md section 7).
public final class Log: Sendable {
    public enum Level: Int, Sendable, Comparable {
        case debug = 0, info = 1, warning = 2, error = 3
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
        var name: String { ["debug", "info", "warning", "error"][rawValue] }
    }

    private let minimum: Mutex<Level>
    private let sink: @Sendable (String) -> Void
    /// Prefix each line with an ISO 8601 time (when not under journald, which stamps lines itself).
    private let timestamps: Bool

    /// A log writing to stderr; timestamps unless running under journald ($JOURNAL_STREAM set).
    public init(level: Level = .info) {
        minimum = Mutex(level)
        timestamps = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] == nil
        sink = { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }

    /// A log writing to a closure (tests).
    public init(level: Level = .debug, sink: @escaping @Sendable (String) -> Void) {
        minimum = Mutex(level)
        timestamps = false
        self.sink = sink
    }

    public func setLevel(_ level: Level) { minimum.withLock { $0 = level } }

    /// Logs `event` with key=value fields (values quoted when they contain spaces).
    public func log(_ level: Level, _ event: String, _ fields: KeyValuePairs<String, CustomStringConvertible> = [:]) {
        log(level, event, fields.map { ($0.key, $0.value.description) })
    }

    /// Logs `event` with fields given as a list (built at run time).
    public func log(_ level: Level, _ event: String, _ fields: [(String, String)]) {
        guard level >= minimum.withLock({ $0 }) else { return }
        var line = timestamps ? Log.timestamp() + " " : ""
        line += "\(level.name) event=\(event)"
        for (k, v) in fields { line += " \(k)=\(Log.quote(v))" }
        sink(line)
    }

    public func debug(_ e: String, _ f: KeyValuePairs<String, CustomStringConvertible> = [:]) { log(.debug, e, f) }
    public func info(_ e: String, _ f: KeyValuePairs<String, CustomStringConvertible> = [:]) { log(.info, e, f) }
    public func info(_ e: String, _ f: [(String, String)]) { log(.info, e, f) }
    public func warning(_ e: String, _ f: KeyValuePairs<String, CustomStringConvertible> = [:]) { log(.warning, e, f) }
    public func error(_ e: String, _ f: KeyValuePairs<String, CustomStringConvertible> = [:]) { log(.error, e, f) }

    static func quote(_ s: String) -> String {
        let oneLine = s.replacingOccurrences(of: "\n", with: " | ")
        if oneLine.isEmpty { return "\"\"" }
        if oneLine.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) {
            return "\"" + oneLine.replacingOccurrences(of: "\"", with: "'") + "\""
        }
        return oneLine
    }

    static func timestamp() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date())
    }
}
