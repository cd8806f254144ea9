#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that its final name only ever holds a complete file (DESIGN.md section 3):
/// a writer saves to a temporary name in the same directory, which is then fsynced, renamed over
/// the final name, and the directory fsynced. On any failure the temporary file is removed and the
/// final name is left as it was; messages from the writer name the final path. Each POSIX call is
/// wrapped once here: EINTR is retried and a failure becomes a DICOMError(.writeFailed) naming the
/// call, the path and the system's reason.
enum DurableFile {
    /// Runs `save` with a temporary path next to `path`, then makes the result durable under `path`.
    static func write(to path: String, _ save: (String) throws -> Void) throws {
        let directory = directoryOf(path)
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        guard !name.isEmpty else { throw DICOMError(.writeFailed, "'\(path)' names a directory, not a file") }
        let temp = directory + "/.\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        do {
            do {
                try save(temp)
            } catch let e as DICOMError {
                // Name the file the caller asked for, not the temporary one.
                throw DICOMError(e.code, e.message.replacingOccurrences(of: temp, with: path))
            }
            try syncPath(temp, flags: O_RDONLY | O_CLOEXEC)
            if rename(temp, path) != 0 { throw failure("rename to '\(path)'", temp) }
        } catch {
            _ = unlink(temp)
            throw error
        }
        try syncPath(directory, flags: O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    }

    /// The directory part of a path ("." for a bare name).
    static func directoryOf(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let d = String(path[..<slash])
        return d.isEmpty ? "/" : d
    }

    /// Opens `path`, fsyncs it and closes it.
    private static func syncPath(_ path: String, flags: Int32) throws {
        var fd: Int32
        repeat { fd = open(path, flags) } while fd < 0 && errno == EINTR
        guard fd >= 0 else { throw failure("open", path) }
        while fsync(fd) != 0 {
            if errno == EINTR { continue }
            let e = errno
            _ = close(fd)
            throw failure("fsync", path, e)
        }
        // close() must not be retried on EINTR on Linux: the descriptor is already released.
        if close(fd) != 0 && errno != EINTR { throw failure("close", path) }
    }

    private static func failure(_ call: String, _ path: String, _ err: Int32 = errno) -> DICOMError {
        DICOMError(.writeFailed, "\(path): \(call) failed: \(String(cString: strerror(err)))")
    }
}
