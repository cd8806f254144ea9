import DICOM
import Foundation
import Imaging
import Outputs
import Phantom
import Testing

/// Our DICOM against dciodvfy, our NIfTI geometry against dcm2niix, on phantom data.
struct PeerToolTests {
    /// dciodvfy reports problems as lines starting "Error -"; warnings are allowed.
    static func dciodvfyErrors(_ path: String) throws -> [String] {
        let r = try CLI.run(try CLI.which("dciodvfy"), [path])
        return (r.stdout + r.stderr).split(separator: "\n").map(String.init).filter { $0.hasPrefix("Error") }
    }

    @Test(arguments: StudyLayout.allCases)
    func phantomImagesPassDciodvfy(layout: StudyLayout) throws {
        let dir = CLI.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CLI.phantom(dir, ["--layout", layout.rawValue])
        let files = try FolderScanner.listFiles(root: dir + "/DICOM")
        for file in [files.first!, files.last!] {
            let errors = try Self.dciodvfyErrors(file)
            #expect(errors.isEmpty, "\(file):\n\(errors.joined(separator: "\n"))")
        }
    }

    @Test(arguments: ["single-phase", "cta", "mr"])
    func negativeCaseImagesPassDciodvfy(caseName: String) throws {
        let dir = CLI.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CLI.phantom(dir, ["--case", caseName])
        let file = try FolderScanner.listFiles(root: dir + "/DICOM").first!
        let errors = try Self.dciodvfyErrors(file)
        #expect(errors.isEmpty, "\(file):\n\(errors.joined(separator: "\n"))")
    }

    /// The NIfTI we write for a loaded acquisition has dcm2niix's sform, qform and voxel order.
    @Test(arguments: [StudyLayout.siemens, .canon, .enhanced])
    func niftiGeometryMatchesDcm2niix(layout: StudyLayout) throws {
        let dir = CLI.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CLI.phantom(dir, ["--layout", layout.rawValue])
        let niiDir = dir + "/dcm2niix"
        try FileManager.default.createDirectory(atPath: niiDir, withIntermediateDirectories: true)
        let r = try CLI.run(try CLI.which("dcm2niix"), ["-z", "n", "-b", "n", "-f", "ref", "-o", niiDir, dir + "/DICOM"])
        #expect(r.status == 0, "dcm2niix: \(r.stdout) \(r.stderr)")
        let refs = try FileManager.default.contentsOfDirectory(atPath: niiDir).filter { $0.hasSuffix(".nii") }.sorted()
        let refPath = niiDir + "/" + (refs.first { $0 == "ref.nii" } ?? refs.first!)
        let reference = try NIfTI.read(path: refPath)

        let scan = try FolderScanner.scan(root: dir + "/DICOM")
        let acquisition = try #require(AcquisitionGrouper.group(scan.instances).acquisitions.first { $0.analysable })
        let loaded = try AcquisitionLoader.load(acquisition, instances: scan.instances)
        let ours = dir + "/ours.nii.gz"
        try NIfTI.write(loaded.volume, to: ours, dataType: .int16, description: "ctperf test")
        let mine = try NIfTI.read(path: ours)

        #expect(Array(mine.dims.prefix(3)) == Array(reference.dims.prefix(3)))
        #expect(mine.sformRAS.maxAbsDifference(reference.sformRAS) < 0.1,
                "sform ours \(mine.sformRAS.m) dcm2niix \(reference.sformRAS.m)")
        #expect(mine.qformRAS.maxAbsDifference(reference.qformRAS) < 0.1,
                "qform ours \(mine.qformRAS.m) dcm2niix \(reference.qformRAS.m)")
        // Same voxel order: dcm2niix's first volume equals one of our time points (which one
        // depends on how it splits series: one file per series for Canon-like exports).
        // dcm2niix 1.0.20220720 interleaves the time points of a multi-frame Enhanced CT object
        // (it sorts its frames by slice, then fills volumes in that order), so for that layout only
        // the geometry is compared.
        guard layout != .enhanced else { return }
        let n = mine.dims[0] * mine.dims[1] * mine.dims[2]
        let first = Array(reference.values.prefix(n))
        let match = (0..<loaded.volume.nt).first { t in Array(mine.values[(t * n)..<((t + 1) * n)]) == first }
        #expect(match != nil, "dcm2niix's first volume matches none of our \(loaded.volume.nt) time points")
    }
}
