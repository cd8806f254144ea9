#if canImport(Glibc)
import Glibc
#endif

/// Free space of the file system holding a path, MiB (statvfs; space available to unprivileged
/// users). nil when the path cannot be examined.
public func freeDiskMiB(_ path: String) -> Double? {
    var s = statvfs()
    guard statvfs(path, &s) == 0 else { return nil }
    return Double(s.f_bavail) * Double(s.f_frsize) / 1_048_576
}
