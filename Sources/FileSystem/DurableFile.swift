#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that its final name only ever holds a complete file (DESIGN.md section 3):
/// the writer saves to a temporary name in the same directory, which is fsynced, renamed over the
/// final name, and the directory fsynced. On any failure the temporary file is removed and the
/// final name is left as it was. The one implementation used by every writer (NIfTI, JSON, PNG,
/// DICOM).
public enum DurableFile {
    /// Runs `save` with a temporary path beside `path`, then makes the result durable under `path`.
    /// `save` may throw anything; it is rethrown after the temporary file is removed.
    public static func write(to path: String, _ save: (_ temporaryPath: String) throws -> Void) throws {
        let directory = directoryOf(path)
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        guard !name.isEmpty else {
            throw FileSystemError(call: "write (the path names a directory, not a file)", path: path, errorNumber: EISDIR)
        }
        let temp = directory + "/.\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        do {
            try save(temp)
            try PosixFile.syncPath(temp)
            try PosixFile.renameFile(temp, to: path)
        } catch {
            PosixFile.removeIfPresent(temp)
            throw error
        }
        try PosixFile.syncPath(directory, directory: true)
    }

    /// The directory part of a path ("." for a bare file name, "/" for a file at the root).
    public static func directoryOf(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = String(path[..<slash])
        return dir.isEmpty ? "/" : dir
    }
}
