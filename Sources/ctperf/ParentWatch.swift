#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// When ctperfd runs `ctperf analyze`, it sets CTPERF_PARENT_PID. If the daemon dies (SIGKILL,
/// crash), the analysis must not go on as an orphan racing the restarted daemon's retry: a
/// background thread checks once a second that the parent is still ours and exits otherwise.
enum ParentWatch {
    static func startIfRequested() {
        guard let value = ProcessInfo.processInfo.environment["CTPERF_PARENT_PID"], let parent = Int32(value) else { return }
        @Sendable func stopIfOrphaned() {
            if getppid() != parent {
                FileHandle.standardError.write(Data("ctperf: the daemon that started this analysis is gone; stopping\n".utf8))
                _exit(70)
            }
        }
        stopIfOrphaned()
        let t = Thread {
            while true {
                stopIfOrphaned()
                usleep(500_000)
            }
        }
        t.name = "parent-watch"
        t.start()
    }
}
