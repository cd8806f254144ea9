#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// Debug fault points (STYLE.md habit 7): when the environment variable CTPERFD_FAULT names a
/// point ("worker.before-outbox"), or a point and a count ("receiver.before-rename@20" = the
/// 20th time it is reached), reaching it ends the process at once with `_exit(86)` — as a crash
/// or SIGKILL would — so a test can prove that a restart resumes from there. Unset in production.
public enum FaultPoint {
    static let armed: (name: String, count: Int)? = {
        guard let v = ProcessInfo.processInfo.environment["CTPERFD_FAULT"], !v.isEmpty else { return nil }
        let parts = v.split(separator: "@", maxSplits: 1).map(String.init)
        return (parts[0], parts.count == 2 ? Int(parts[1]) ?? 1 : 1)
    }()
    static let hits = Atomic<Int>(0)

    /// Ends the process when `name` is the armed point (at its armed count).
    public static func hit(_ name: String) {
        guard let armed, armed.name == name else { return }
        let n = hits.add(1, ordering: .relaxed).newValue
        if n == armed.count {
            FileHandle.standardError.write(Data("fault point \(name) reached (\(n)): exiting (CTPERFD_FAULT)\n".utf8))
            _exit(86)
        }
    }
}
