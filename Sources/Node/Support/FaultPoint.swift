#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Debug fault points (STYLE.md habit 7): when the environment variable CTPERFD_FAULT names a
/// point, reaching it ends the process at once with `_exit(86)` — as a crash or SIGKILL would —
/// so a test can prove that a restart resumes from there. Unset in production.
public enum FaultPoint {
    static let armed: String? = ProcessInfo.processInfo.environment["CTPERFD_FAULT"]

    /// Ends the process when `name` is the armed point.
    public static func hit(_ name: String) {
        if let armed, armed == name {
            FileHandle.standardError.write(Data("fault point \(name): exiting (CTPERFD_FAULT)\n".utf8))
            _exit(86)
        }
    }
}
