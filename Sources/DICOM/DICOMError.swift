/// Errors of the DICOM module. Every case carries a message that tells a person what is wrong
/// and, where possible, what to do.
public struct DICOMError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: String, Sendable, Codable {
        case notDicom = "not-dicom"
        case unreadable
        case unsupported
        case missingAttribute = "missing-attribute"
        case inconsistent
        case writeFailed = "write-failed"
        case notLoadable = "not-loadable"
        /// A DICOM network service could not run (e.g. the listener's port is in use).
        case network
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
