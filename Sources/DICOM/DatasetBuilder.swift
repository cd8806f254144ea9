import CDCMTK
import Foundation

/// Builds a DICOM dataset (nested sequences, pixel data) and saves it through DCMTK in a chosen
/// transfer syntax. Used by the phantom now and by the SC/SR writers later.
public final class DatasetBuilder {
    fileprivate let handle: OpaquePointer

    public init() throws {
        DicomFile.initializeCodecs()
        guard let h = cdcm_builder_new() else { throw DICOMError(.writeFailed, "cannot allocate a dataset") }
        handle = h
    }

    deinit { cdcm_builder_free(handle) }

    /// The top-level dataset.
    public var root: DatasetItem { DatasetItem(pointer: cdcm_builder_root(handle), owner: self) }

    /// Save as a Part 10 file, compressing if the transfer syntax is encapsulated
    /// (JPEG lossless .57/.70, JPEG-LS lossless, RLE).
    public func save(path: String, transferSyntaxUID: String) throws {
        try check { cdcm_builder_save(handle, path, transferSyntaxUID, $0, $1) }
    }

    /// Save with opaque encapsulated fragments under a transfer syntax ctperf cannot decode
    /// (to produce unsupported-input test files).
    public func saveOpaqueEncapsulated(path: String, transferSyntaxUID: String, fragment: [UInt8], frames: Int) throws {
        try check { cdcm_builder_save_opaque_encapsulated(handle, path, transferSyntaxUID, fragment, fragment.count, UInt32(frames), $0, $1) }
    }

    /// Save as a raw dataset (no preamble, no meta header, implicit VR little endian).
    public func saveRawDataset(path: String) throws {
        try check { cdcm_builder_save_raw_dataset(handle, path, $0, $1) }
    }
}

/// A dataset or sequence item inside a DatasetBuilder (kept alive by its owner).
public struct DatasetItem {
    fileprivate let pointer: OpaquePointer?
    fileprivate let owner: DatasetBuilder

    /// Put a string value; the VR comes from the data dictionary; '\' separates multiple values.
    public func put(_ tag: Tag, _ value: String) throws {
        try check { cdcm_item_put_string(pointer, tag.rawValue, value, $0, $1) }
    }

    /// Put several values of one element.
    public func put(_ tag: Tag, _ values: [String]) throws { try put(tag, values.joined(separator: "\\")) }

    /// Put decimal values (DS) with up to 16 characters each.
    public func put(_ tag: Tag, decimals: [Double]) throws {
        try put(tag, decimals.map(formatDS).joined(separator: "\\"))
    }

    /// Append an item to a sequence (created when absent).
    @discardableResult
    public func appendItem(_ sequence: Tag) throws -> DatasetItem {
        var err = [CChar](repeating: 0, count: 512)
        guard let p = cdcm_item_append_item(pointer, sequence.rawValue, &err, err.count) else {
            throw DICOMError(.writeFailed, cString(err))
        }
        return DatasetItem(pointer: p, owner: owner)
    }

    public func putEmptySequence(_ sequence: Tag) throws {
        try check { cdcm_item_put_empty_sequence(pointer, sequence.rawValue, $0, $1) }
    }

    public func putPixels16(_ values: [UInt16]) throws {
        try check { cdcm_item_put_pixels16(pointer, values, values.count, $0, $1) }
    }

    public func putPixels8(_ values: [UInt8]) throws {
        try check { cdcm_item_put_pixels8(pointer, values, values.count, $0, $1) }
    }
}

/// Call a shim function that reports errors through (err, errlen).
private func check(_ body: (UnsafeMutablePointer<CChar>, Int) -> Int32) throws {
    var err = [CChar](repeating: 0, count: 512)
    let status = err.withUnsafeMutableBufferPointer { body($0.baseAddress!, $0.count) }
    guard Int(status) == CDCM_OK else { throw DICOMError(.writeFailed, cString(err)) }
}

/// A DS value in at most 16 characters (PS3.5 6.2).
public func formatDS(_ v: Double) -> String {
    if v == v.rounded() && abs(v) < 1e15 { return String(Int(v)) }
    for digits in stride(from: 10, through: 1, by: -1) {
        let s = String(format: "%.\(digits)f", v)
        var t = s
        while t.contains(".") && (t.hasSuffix("0") || t.hasSuffix(".")) { t.removeLast() }
        if t.count <= 16 { return t }
    }
    return String(format: "%.6e", v)
}
