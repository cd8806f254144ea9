#if canImport(Glibc)
import Glibc
#endif
import CSystem
import Foundation

/// A child process started with posix_spawn, its stdout and stderr going to a log file; polled
/// (never waited on) from the main loop, so a hung child cannot hang the daemon.
public final class ChildProcess {
    public let pid: pid_t
    public let startedAt: Date
    public private(set) var exit: Termination?

    public enum Termination: Equatable, Sendable {
        case exited(Int32)
        case signaled(Int32)
    }

    /// Starts `executable` with `arguments`; stdout and stderr are appended to `logPath`.
    /// The environment is ours plus `extraEnvironment`.
    public init(executable: String, arguments: [String], logPath: String, extraEnvironment: [String: String] = [:]) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // No O_CLOEXEC here: these become the child's stdout/stderr/stdin across the exec.
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o640)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        // Nothing else of ours crosses over (DCMTK's listening and association sockets are not
        // close-on-exec): an analysis must not hold the port or a peer's connection open.
        let closing = csystem_spawn_addclosefrom(&actions, 3)
        guard closing == 0 else { throw NodeError("cannot prepare the child's descriptors: \(String(cString: strerror(closing)))") }

        var env = ProcessInfo.processInfo.environment
        for (k, v) in extraEnvironment { env[k] = v }
        let argv = [executable] + arguments
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { cArgs.forEach { free($0) }; cEnv.forEach { free($0) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, nil, cArgs, cEnv)
        guard rc == 0 else {
            throw NodeError("cannot start \(executable): \(String(cString: strerror(rc)))")
        }
        pid = child
        startedAt = Date()
    }

    /// Whether the child has ended (reaps it once).
    public func poll() -> Termination? {
        if let exit { return exit }
        var status: Int32 = 0
        let r = waitpid(pid, &status, WNOHANG)
        guard r == pid else { return nil }
        // WIFEXITED / WEXITSTATUS / WTERMSIG are macros; decode the wait status by hand.
        let signal = status & 0x7f
        exit = signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
        return exit
    }

    /// Sends a signal (no effect once reaped).
    public func kill(_ signal: Int32) {
        if exit == nil { _ = Glibc.kill(pid, signal) }
    }

    /// Kills the child and reaps it (blocking at most ~2 s after SIGKILL).
    public func killAndReap() {
        kill(SIGKILL)
        let deadline = Date().addingTimeInterval(2)
        while poll() == nil && Date() < deadline { usleep(10_000) }
    }
}
