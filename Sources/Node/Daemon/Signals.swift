#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// SIGTERM/SIGINT (stop) and SIGHUP (reload) as flags the main loop polls. The handlers only
/// store to lock-free atomics, which is async-signal-safe.
public enum Signals {
    static let terminate = Atomic<Bool>(false)
    static let reload = Atomic<Bool>(false)

    /// Installs the handlers (and ignores SIGPIPE: a peer closing a socket is an error, not death).
    public static func install() {
        _ = terminate.load(ordering: .relaxed)   // initialise the statics before any handler runs
        _ = reload.load(ordering: .relaxed)
        signal(SIGTERM) { _ in Signals.terminate.store(true, ordering: .relaxed) }
        signal(SIGINT) { _ in Signals.terminate.store(true, ordering: .relaxed) }
        signal(SIGHUP) { _ in Signals.reload.store(true, ordering: .relaxed) }
        signal(SIGPIPE, SIG_IGN)
        // A parent may have started us with these blocked (the mask is inherited across exec);
        // unblock them, or SIGTERM and SIGHUP would never arrive.
        var set = sigset_t()
        sigemptyset(&set)
        for s in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&set, s) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    public static var stopRequested: Bool { terminate.load(ordering: .relaxed) }

    /// Whether a reload was requested since the last call.
    public static func takeReload() -> Bool { reload.exchange(false, ordering: .relaxed) }

    /// Asks the main loop to stop (tests, or a fatal condition).
    public static func requestStop() { terminate.store(true, ordering: .relaxed) }
}
