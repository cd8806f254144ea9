/// The one error type of the Render module: a code and a message that says what failed and,
/// where it helps, what to do about it.
public struct RenderError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: String, Sendable {
        /// A cairo call reported a failure status (the message names the call and cairo's text).
        case cairo
        /// An argument cannot be drawn (empty volume, mismatched grids, empty range, bad size).
        case invalidInput
        /// Writing or renaming a file failed.
        case io
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "render \(code.rawValue) error: \(message)" }
}
