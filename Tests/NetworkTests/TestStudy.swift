import DICOM
import Foundation
import Phantom
import TestSupport

/// A small phantom study (64×64, 2 slices × 2 time points, Explicit VR Little Endian) and
/// compressed copies of its first file made with DCMTK's command-line compressors.
struct TestStudy {
    /// The four uncompressed files.
    var explicitFiles: [String]
    /// Compressed copies of the first file: transfer syntax UID -> path.
    var compressedFiles: [String: String]

    var allFiles: [String] { explicitFiles + compressedFiles.keys.sorted().map { compressedFiles[$0]! } }

    /// The compressions made, with the tool and options that make them.
    static let compressions: [(uid: String, tool: String, options: [String])] = [
        (TransferSyntax.jpegLSLossless, "dcmcjpls", []),
        (TransferSyntax.jpegLSNearLossless, "dcmcjpls", ["+en"]),
        (TransferSyntax.rle, "dcmcrle", []),
        (TransferSyntax.jpegLossless70, "dcmcjpeg", ["+e1"]),
        (TransferSyntax.jpegLossless57, "dcmcjpeg", ["+el"]),
    ]

    /// Write the study under `directory`/source.
    static func make(in directory: String) throws -> TestStudy {
        var request = PhantomRequest()
        request.phantomCase = .strokeLeft
        request.layout = .siemens
        request.transferSyntax = .explicit
        request.spec.matrix = 64
        request.spec.slices = 2
        request.spec.frames = 2
        let source = directory + "/source"
        let report = try StudyWriter.write(request, model: try PhantomOutput.model(for: request), to: source, threads: 1)
        let files = try FolderScanner.listFiles(root: report.dicomDirectory).sorted()
        guard files.count == 4 else { throw TestFailure("phantom wrote \(files.count) files, expected 4") }
        var compressed: [String: String] = [:]
        let compressedDir = source + "/compressed"
        try FileManager.default.createDirectory(atPath: compressedDir, withIntermediateDirectories: true)
        for (index, c) in compressions.enumerated() {
            // Each copy gets its own SOP Instance UID so that receivers keep them apart.
            let copy = compressedDir + "/\(index).dcm"
            try ExternalTool.runChecked(c.tool, c.options + [files[0], copy])
            try ExternalTool.runChecked("dcmodify", ["-nb", "-m", "(0008,0018)=\(UID.generate())", copy])
            compressed[c.uid] = copy
        }
        return TestStudy(explicitFiles: files, compressedFiles: compressed)
    }
}

/// The SOP Instance UID of a file (nil when unreadable).
func sopInstanceUID(of path: String) -> String? {
    (try? DicomFile(path: path))?.string(Tags.sopInstanceUID)
}

