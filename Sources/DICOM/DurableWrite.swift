import FileSystem

/// Write a DICOM file durably (FileSystem.DurableFile): messages name the final path, never the
/// temporary one, and file-system failures become `DICOMError(.writeFailed)`.
func writeDurably(to path: String, _ save: (String) throws -> Void) throws {
    do {
        try DurableFile.write(to: path) { temp in
            do {
                try save(temp)
            } catch let e as DICOMError {
                throw DICOMError(e.code, e.message.replacingOccurrences(of: temp, with: path))
            }
        }
    } catch let e as FileSystemError {
        throw DICOMError(.writeFailed, e.message)
    }
}
