import Foundation

/// The one error type of the Outputs module: a code a program can switch on and a message that
/// tells the user what is wrong and, where it helps, what to do.
public struct OutputsError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    public enum Code: String, Sendable {
        /// A system call on a file failed (open, read, write, fsync, rename ...).
        case io
        /// zlib reported an error, or a gzip stream is corrupt or truncated.
        case gzip
        /// The file is not a NIfTI-1 file (bad sizeof_hdr or magic).
        case notNIfTI
        /// The file ends before the data its header describes.
        case truncated
        /// A valid NIfTI-1 file that this reader does not handle (datatype, dimensions, two-file form).
        case unsupported
        /// A caller passed values that cannot be written as asked.
        case invalidArgument
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
    public var errorDescription: String? { message }
}
