import CDCMTK

extension DicomFile {
    /// The native bytes of the top-level Pixel Data (7FE0,0010), decompressed if encapsulated
    /// (PS3.5 8.1): for an 8-bit RGB image with PlanarConfiguration 0, rows*columns*3 bytes in
    /// R G B order. Loads the file again through DCMTK (the pixel data is read whole).
    public func pixelBytes() throws -> [UInt8] {
        var err = [CChar](repeating: 0, count: 512)
        var buffer: UnsafeMutablePointer<UInt8>?
        var length = 0
        let status = cdcm_load_pixel_bytes(path, &buffer, &length, &err, err.count)
        defer { cdcm_free_bytes(buffer) }
        guard Int(status) == CDCM_OK, let buffer else {
            let code: DICOMError.Code = Int(status) == CDCM_NOT_FOUND ? .missingAttribute : .unreadable
            throw DICOMError(code, "\(path): \(cString(err))")
        }
        return Array(UnsafeBufferPointer(start: buffer, count: length))
    }
}
