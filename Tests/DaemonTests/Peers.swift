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
        if !Wait.until(seconds: seconds, { !self.process.isRunning }) { kill(process.processIdentifier, SIGKILL) }
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

/// Polling with a deadline (tests never sleep and hope).
enum Wait {
    @discardableResult
    static func until(seconds: Double, interval: Double = 0.05, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(UInt32(interval * 1_000_000))
        }
        return try condition()
    }

    static func require(_ what: String, seconds: Double, interval: Double = 0.05, _ condition: () throws -> Bool) throws {
        guard try until(seconds: seconds, interval: interval, condition) else {
            throw TestFailure("timed out after \(seconds) s waiting for \(what)")
        }
    }
}

/// A free TCP port on loopback (bound to port 0, read back, released).
func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
    return Int(UInt16(bigEndian: addr.sin_port))
}

/// Our built binaries (next to the test bundle).
enum Built {
    static var directory: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path
    }
    static var ctperf: String { directory + "/ctperf" }
    static var ctperfd: String { directory + "/ctperfd" }
}
