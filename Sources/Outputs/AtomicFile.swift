#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that the final name only ever holds a complete file: the bytes go to a
/// temporary file in the same directory, which is fsynced, renamed over the final name, and the
/// directory fsynced. On any error the temporary file is removed and the final name is untouched.
public enum AtomicFile {
    /// Destination for bytes inside `write(to:_:)`.
    struct Sink: ByteSink {
        fileprivate let fd: Int32
        fileprivate let tempPath: String

        mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
            try PosixFile.writeAll(fd, bytes, path: tempPath)
        }
    }

    static func write(to path: String, _ body: (inout Sink) throws -> Void) throws {
        let directory = directoryOf(path)
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        let tempPath = directory + "/.\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = try PosixFile.openFile(tempPath, flags: O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode: 0o644)
        var sink = Sink(fd: fd, tempPath: tempPath)
        do {
            try body(&sink)
            try PosixFile.syncFile(fd, path: tempPath)
        } catch {
            PosixFile.closeIgnoringErrors(fd)
            PosixFile.removeIfPresent(tempPath)
            throw error
        }
        do {
            try PosixFile.closeFile(fd, path: tempPath)
            try PosixFile.renameFile(tempPath, to: path)
        } catch {
            PosixFile.removeIfPresent(tempPath)
            throw error
        }
        try syncDirectory(directory)
    }

    /// The directory part of a path ("." for a bare file name).
    static func directoryOf(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = String(path[..<slash])
        return dir.isEmpty ? "/" : dir
    }

    /// Makes the rename durable (the directory entry is on disk after this returns).
    private static func syncDirectory(_ directory: String) throws {
        let fd = try PosixFile.openFile(directory, flags: O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { PosixFile.closeIgnoringErrors(fd) }
        try PosixFile.syncFile(fd, path: directory)
    }
}

/// Something that accepts a stream of bytes (a file, a gzip compressor in front of a file).
protocol ByteSink {
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws
}
