import Foundation

extension AtomicFile {
    /// Write `data` to `path` atomically (temp file, fsync, rename, directory fsync).
    public static func write(_ data: Data, to path: String) throws {
        try write(to: path) { sink in
            try data.withUnsafeBytes { try sink.write($0) }
        }
    }
}
