import Foundation
import TestSupport
import Testing

/// Helpers for tests that run the built `ctperf` binary and external peers.
enum CLI {
    /// The directory holding the built products (next to the test bundle).
    static var binDirectory: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }

    static var ctperf: String { binDirectory.appendingPathComponent("ctperf").path }

    static func run(_ program: String, _ args: [String], cwd: String? = nil) throws -> ExternalTool.Output {
        try ExternalTool.run(program, args, cwd: cwd)
    }

    static func which(_ name: String) throws -> String { try ExternalTool.which(name) }

    static func tempDir() -> String { TemporaryDirectory.make("ctperf-cli") }

    /// `ctperf phantom` with small defaults for tests.
    static func phantom(_ dir: String, _ extra: [String]) throws {
        let r = try run(ctperf, ["phantom", "--out", dir, "--matrix", "64", "--slices", "3", "--frames", "12", "--interval", "3"] + extra)
        guard r.status == 0 else { throw TestFailure("phantom failed (\(r.status)): \(r.stderr)") }
    }

    /// `ctperf inspect --json` parsed.
    static func inspect(_ dir: String) throws -> [String: Any] {
        let r = try run(ctperf, ["inspect", dir, "--json"])
        guard r.status == 0 else { throw TestFailure("inspect failed (\(r.status)): \(r.stderr)") }
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
    }
}
