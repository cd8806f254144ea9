import CDCMTK
import Foundation
import Imaging

/// One DICOM file opened through the DCMTK shim. Pixel data is read lazily.
/// Not shared between threads: each reader opens its own.
public final class DicomFile {
    private let handle: OpaquePointer
    public let path: String

    /// Register DCMTK's codecs (idempotent). Called by every opener.
    public static func initializeCodecs() { cdcm_initialize() }

    public init(path: String) throws {
        DicomFile.initializeCodecs()
        var err = [CChar](repeating: 0, count: 512)
        var out: OpaquePointer?
        let status = cdcm_open(path, &out, &err, err.count)
        guard Int(status) == CDCM_OK, let h = out else {
            let message = cString(err)
            throw DICOMError(message.hasPrefix("not a DICOM") ? .notDicom : .unreadable, message)
        }
        handle = h
        self.path = path
    }

    deinit { cdcm_close(handle) }

    /// Transfer syntax UID as stored.
    public var transferSyntaxUID: String {
        var buf = [CChar](repeating: 0, count: 128)
        _ = cdcm_transfer_syntax(handle, &buf, buf.count)
        return cString(buf)
    }

    public var hasPixelData: Bool { cdcm_has_pixel_data(handle) != 0 }

    /// Value of an element along a path of (sequence tag, item index) pairs, then the tag.
    /// Leading/trailing spaces and NULs trimmed; nil when absent or empty.
    public func string(_ tag: Tag, in sequencePath: [(Tag, Int)] = []) -> String? {
        var path: [UInt32] = []
        for (seq, item) in sequencePath { path.append(seq.rawValue); path.append(UInt32(item)) }
        path.append(tag.rawValue)
        var buf = [CChar](repeating: 0, count: 4096)
        let status = cdcm_get_string(handle, path, Int32(path.count), &buf, buf.count)
        guard Int(status) == CDCM_OK else { return nil }
        let s = cString(buf).trimmingCharacters(in: CharacterSet(charactersIn: " \0"))
        return s.isEmpty ? nil : s
    }

    /// Values split at backslashes.
    public func strings(_ tag: Tag, in sequencePath: [(Tag, Int)] = []) -> [String] {
        guard let s = string(tag, in: sequencePath) else { return [] }
        return s.split(separator: "\\", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Numeric values (DS, IS, US ...) split at backslashes; nil if absent or not numeric.
    public func doubles(_ tag: Tag, in sequencePath: [(Tag, Int)] = []) -> [Double]? {
        let parts = strings(tag, in: sequencePath)
        guard !parts.isEmpty else { return nil }
        var out: [Double] = []
        for p in parts {
            guard let v = Double(p), v.isFinite else { return nil }
            out.append(v)
        }
        return out
    }

    public func double(_ tag: Tag, in sequencePath: [(Tag, Int)] = []) -> Double? {
        doubles(tag, in: sequencePath)?.first
    }

    public func int(_ tag: Tag, in sequencePath: [(Tag, Int)] = []) -> Int? {
        guard let d = double(tag, in: sequencePath), d == d.rounded() else { return nil }
        return Int(d)
    }

    /// Number of items in the sequence at the path.
    public func itemCount(_ sequence: Tag, in sequencePath: [(Tag, Int)] = []) -> Int {
        var path: [UInt32] = []
        for (seq, item) in sequencePath { path.append(seq.rawValue); path.append(UInt32(item)) }
        path.append(sequence.rawValue)
        return Int(cdcm_count_items(handle, path, Int32(path.count)))
    }

    /// Decode one frame into `out` (rows*columns values) as slope*stored+intercept.
    public func readFrame(_ frame: Int, slope: Double, intercept: Double,
                          into out: UnsafeMutableBufferPointer<Float>) throws {
        var err = [CChar](repeating: 0, count: 512)
        let status = cdcm_read_frame(handle, UInt32(frame), slope, intercept, out.baseAddress, out.count, &err, err.count)
        guard Int(status) == CDCM_OK else {
            let code: DICOMError.Code = Int(status) == CDCM_UNSUPPORTED ? .unsupported : .unreadable
            throw DICOMError(code, cString(err))
        }
    }
}

/// A NUL-terminated C buffer as a Swift String (UTF-8, invalid bytes repaired).
func cString(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
