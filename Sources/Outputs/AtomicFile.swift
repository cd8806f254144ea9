#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FileSystem

/// Streams bytes into a file that appears under its final name only when complete
/// (FileSystem.DurableFile: temp, fsync, rename, directory fsync). File-system failures become
/// `OutputsError(.io)`.
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
        try outputsIO {
            try DurableFile.write(to: path) { temp in
                let fd = try PosixFile.openFile(temp, flags: O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode: 0o644)
                var sink = Sink(fd: fd, tempPath: temp)
                do {
                    try body(&sink)
                } catch {
                    PosixFile.closeIgnoringErrors(fd)
                    throw error
                }
                try PosixFile.closeFile(fd, path: temp)
            }
        }
    }

    /// The directory part of a path ("." for a bare file name).
    static func directoryOf(_ path: String) -> String { DurableFile.directoryOf(path) }
}

/// Run file-system work, reporting failures as the Outputs module's error.
func outputsIO<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as FileSystemError {
        throw OutputsError(.io, e.message)
    }
}

/// Something that accepts a stream of bytes (a file, a gzip compressor in front of a file).
protocol ByteSink {
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws
}
