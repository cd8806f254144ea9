import Foundation

/// A child process that runs while the test goes on (a peer such as storescp, or a storescu
/// that must still be running when the test checks something). Output goes to files, not pipes,
/// so a chatty child cannot block. `deinit` terminates a child that is still running.
public final class BackgroundProcess {
    private let process = Process()
    private let outURL: URL
    private let errURL: URL

    /// Start `program` (absolute path, or a name looked up on PATH) with extra environment variables.
    public init(_ program: String, _ args: [String], environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: program.hasPrefix("/") ? program : try ExternalTool.which(program))
        process.arguments = args
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let dir = FileManager.default.temporaryDirectory
        outURL = dir.appendingPathComponent("bg-out-\(UUID().uuidString)")
        errURL = dir.appendingPathComponent("bg-err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
    }

    deinit {
        terminate()
        try? FileManager.default.removeItem(at: outURL)
        try? FileManager.default.removeItem(at: errURL)
    }

    public var isRunning: Bool { process.isRunning }
    public var processIdentifier: Int32 { process.processIdentifier }

    /// Wait for the child to exit within `timeoutSeconds`; throws when it is still running then.
    @discardableResult
    public func wait(timeoutSeconds: Double) throws -> ExternalTool.Output {
        try Poll.until(timeoutSeconds: timeoutSeconds, "\(process.executableURL?.lastPathComponent ?? "child") to exit") { !process.isRunning }
        process.waitUntilExit()
        return output
    }

    /// End this child (by its process id) and wait for it to exit. SIGKILL, because children
    /// started from a Swift test inherit the signal mask of the starting thread, and dispatch's
    /// threads block SIGTERM: a SIGTERM would stay pending for ever.
    public func terminate() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Exit status (valid once exited), stdout and stderr so far.
    public var output: ExternalTool.Output {
        ExternalTool.Output(status: process.isRunning ? -1 : process.terminationStatus,
                            stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                            stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }
}
