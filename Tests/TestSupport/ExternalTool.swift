import Foundation

/// Running the external peers tests compare against (dcm2niix, dciodvfy, DCMTK tools, gzip,
/// our own built binaries). Output goes to files, not pipes, so a chatty child cannot block.
public enum ExternalTool {
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var combined: String { stdout + stderr }
    }

    /// Full path of a program on PATH, or nil.
    public static func find(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Full path of a program on PATH; throws a message naming the install step when missing.
    public static func which(_ name: String) throws -> String {
        guard let path = find(name) else {
            throw TestFailure("\(name) not found on PATH (scripts/install-deps.sh installs it)")
        }
        return path
    }

    /// Run a program (absolute path, or a name looked up on PATH) to completion.
    public static func run(_ program: String, _ args: [String], cwd: String? = nil) throws -> Output {
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

    /// Run and require exit status 0; returns stdout + stderr.
    @discardableResult
    public static func runChecked(_ program: String, _ args: [String], cwd: String? = nil) throws -> String {
        let r = try run(program, args, cwd: cwd)
        guard r.status == 0 else {
            throw TestFailure("\(program) \(args.joined(separator: " ")) exited with status \(r.status):\n\(r.combined)")
        }
        return r.combined
    }
}

/// A fresh directory under the system's temporary directory.
public enum TemporaryDirectory {
    public static func make(_ prefix: String = "ctperf-test") -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    /// Runs `body` with a fresh directory that is removed afterwards.
    public static func with<T>(_ prefix: String = "ctperf-test", _ body: (String) throws -> T) throws -> T {
        let d = make(prefix)
        defer { try? FileManager.default.removeItem(atPath: d) }
        return try body(d)
    }
}

/// A test-setup failure with a message.
public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}
