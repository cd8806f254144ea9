#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call on a file: which call, which path, and the system's reason.
public struct FileSystemError: Error, CustomStringConvertible, Sendable, Equatable {
    public let call: String
    public let path: String
    /// errno of the failure (ENOSPC for a full disk).
    public let errorNumber: Int32
    public let message: String

    public init(call: String, path: String, errorNumber: Int32) {
        self.call = call
        self.path = path
        self.errorNumber = errorNumber
        message = "\(path): \(call) failed: \(String(cString: strerror(errorNumber)))"
    }

    public var description: String { message }
}

/// Thin wrappers over the POSIX file calls used by the writers and readers. Each C call is
/// wrapped exactly once here: EINTR is retried and a failure becomes a `FileSystemError` naming
/// the call, the path and the system's reason.
public enum PosixFile {
    static func failure(_ call: String, _ path: String, _ err: Int32 = errno) -> FileSystemError {
        FileSystemError(call: call, path: path, errorNumber: err)
    }

    public static func openFile(_ path: String, flags: Int32, mode: mode_t = 0) throws -> Int32 {
        while true {
            let fd = open(path, flags, mode)
            if fd >= 0 { return fd }
            if errno != EINTR { throw failure("open", path) }
        }
    }

    public static func closeFile(_ fd: Int32, path: String) throws {
        // close() must not be retried on EINTR on Linux: the descriptor is already released.
        if close(fd) != 0 && errno != EINTR { throw failure("close", path) }
    }

    /// Closes a descriptor on a path that is already failing or only read; errors are moot there.
    public static func closeIgnoringErrors(_ fd: Int32) {
        _ = close(fd)
    }

    /// Writes every byte (short writes continue, EINTR retried).
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        guard var p = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let n = write(fd, p, left)
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("write", path)
            }
            p += n
            left -= n
        }
    }

    /// Reads up to `buffer.count` bytes; returns 0 at end of file.
    public static func readSome(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String) throws -> Int {
        while true {
            let n = read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno != EINTR { throw failure("read", path) }
        }
    }

    /// Reads up to `count` bytes at `offset` without moving the file position (fewer at the end).
    public static func readAt(_ fd: Int32, count: Int, offset: Int, path: String) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + got, count - got, off_t(offset + got)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("pread", path)
            }
            if n == 0 { break }
            got += n
        }
        return Array(out.prefix(got))
    }

    /// Size of an open file in bytes.
    public static func size(_ fd: Int32, path: String) throws -> Int {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw failure("fstat", path) }
        return Int(st.st_size)
    }

    public static func syncFile(_ fd: Int32, path: String) throws {
        while fsync(fd) != 0 {
            if errno != EINTR { throw failure("fsync", path) }
        }
    }

    /// Opens `path` (a file or a directory), fsyncs it and closes it.
    public static func syncPath(_ path: String, directory: Bool = false) throws {
        let fd = try openFile(path, flags: O_RDONLY | O_CLOEXEC | (directory ? O_DIRECTORY : 0))
        do {
            try syncFile(fd, path: path)
        } catch {
            closeIgnoringErrors(fd)
            throw error
        }
        try closeFile(fd, path: path)
    }

    public static func renameFile(_ from: String, to: String) throws {
        if rename(from, to) != 0 { throw failure("rename to '\(to)'", from) }
    }

    /// Removes a file; a missing file is not an error (used to clean up temp files).
    public static func removeIfPresent(_ path: String) {
        _ = unlink(path)
    }

    /// Calls `chunk` with successive pieces of an open file from its current position
    /// (at most `chunkSize` bytes each) until its end.
    public static func readChunks(_ fd: Int32, path: String, chunkSize: Int = 1 << 20,
                           _ chunk: (UnsafeRawBufferPointer) throws -> Void) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = try readSome(fd, into: buffer, path: path)
            if n == 0 { return }
            try chunk(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
    }
}
