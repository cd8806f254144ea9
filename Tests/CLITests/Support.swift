import Foundation
import Testing

/// Helpers for tests that run the built `ctperf` binary and external peers.
enum CLI {
    /// The directory holding the built products (next to the test bundle).
    static var binDirectory: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }

    static var ctperf: String { binDirectory.appendingPathComponent("ctperf").path }

    struct Output { var status: Int32; var stdout: String; var stderr: String }

    /// Run a program to completion, capturing its output (files, not pipes, so a large output
    /// cannot block the child).
    static func run(_ program: String, _ args: [String], cwd: String? = nil) throws -> Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program.hasPrefix("/") ? program : try which(program))
        p.arguments = args
        if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        let dir = FileManager.default.temporaryDirectory
        let outURL = dir.appendingPathComponent("out-\(UUID().uuidString)")
        let errURL = dir.appendingPathComponent("err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outURL); try? FileManager.default.removeItem(at: errURL) }
        p.standardOutput = try FileHandle(forWritingTo: outURL)
        p.standardError = try FileHandle(forWritingTo: errURL)
        try p.run()
        p.waitUntilExit()
        return Output(status: p.terminationStatus,
                      stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }

    /// Full path of a program on PATH; fails the test with a clear message when missing.
    static func which(_ name: String) throws -> String {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw TestFailure("\(name) not found on PATH (scripts/install-deps.sh installs it)")
    }

    static func tempDir() -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("ctperf-cli-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

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

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
