#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TestSupport

/// Long-running peers a test starts on loopback (ctperfd, storescp, Orthanc) and always stops.
final class Peer {
    let name: String
    let process: Process
    let logPath: String

    /// Starts `program` with `args`; stdout and stderr go to `logPath`.
    init(_ name: String, _ program: String, _ args: [String], logPath: String, environment: [String: String] = [:]) throws {
        self.name = name
        self.logPath = logPath
        process = Process()
        process.executableURL = URL(fileURLWithPath: program.hasPrefix("/") ? program : try ExternalTool.which(program))
        process.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["TCP_NODELAY"] = "1"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        h.seekToEndOfFile()
        process.standardOutput = h
        process.standardError = h
        // The test runner's threads may block SIGTERM/SIGHUP and a child inherits the mask: a
        // peer started that way would ignore `stop()`. Start peers with them unblocked.
        var set = sigset_t()
        sigemptyset(&set)
        for s in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&set, s) }
        var old = sigset_t()
        pthread_sigmask(SIG_UNBLOCK, &set, &old)
        defer { pthread_sigmask(SIG_SETMASK, &old, nil) }
        try process.run()
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
    var running: Bool { process.isRunning }

    /// SIGTERM and wait (SIGKILL after `seconds`). Returns the exit status.
    @discardableResult
    func stop(seconds: Double = 30) -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        process.terminate()
        if (try? Poll.until(timeoutSeconds: seconds, "\(name) to stop") { !self.process.isRunning }) == nil {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// SIGKILL, as a power cut or OOM kill would.
    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() } }
}

/// Our built binaries (next to the test bundle).
enum Built {
    static var directory: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path
    }
    static var ctperf: String { directory + "/ctperf" }
    static var ctperfd: String { directory + "/ctperfd" }
}
