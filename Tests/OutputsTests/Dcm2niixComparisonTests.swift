import Foundation
import TestSupport
import Imaging
import Testing
@testable import Outputs

/// Our writer against dcm2niix (Debian's 1.0.20220720) on tiny DICOM series made with
/// dump2dcm: same voxel order, same sform and qform (0.1 mm, 1e-4 in direction cosines).
@Suite struct Dcm2niixComparisonTests {
    static let series: [SyntheticCTSeries] = [
        SyntheticCTSeries(name: "axial", rowDirection: Vector3(1, 0, 0), columnDirection: Vector3(0, 1, 0),
                          firstPosition: Vector3(-10.5, -20.25, 30), sliceStep: Vector3(0, 0, 2.5),
                          instanceOrder: [0, 1, 2]),
        SyntheticCTSeries(name: "axial-descending", rowDirection: Vector3(1, 0, 0), columnDirection: Vector3(0, 1, 0),
                          firstPosition: Vector3(-10.5, -20.25, 30), sliceStep: Vector3(0, 0, 2.5),
                          instanceOrder: [2, 1, 0]),
        SyntheticCTSeries(name: "coronal", rowDirection: Vector3(1, 0, 0), columnDirection: Vector3(0, 0, -1),
                          firstPosition: Vector3(-10.5, -20.25, 30), sliceStep: Vector3(0, 2.5, 0),
                          instanceOrder: [0, 1, 2]),
        SyntheticCTSeries(name: "sagittal-descending", rowDirection: Vector3(0, 1, 0),
                          columnDirection: Vector3(0, 0, -1), firstPosition: Vector3(-10.5, -20.25, 30),
                          sliceStep: Vector3(-2.5, 0, 0), instanceOrder: [2, 1, 0]),
        // Column direction anterior, so the slice normal points to the feet.
        SyntheticCTSeries(name: "axial-normal-inferior", rowDirection: Vector3(1, 0, 0),
                          columnDirection: Vector3(0, -1, 0), firstPosition: Vector3(-10.5, -20.25, 30),
                          sliceStep: Vector3(0, 0, -2.5), instanceOrder: [0, 1, 2]),
    ] + [[0, 1, 2], [2, 1, 0]].map { order in
        let g = TestGrids.oblique.affineLPS
        return SyntheticCTSeries(name: "oblique\(order == [0, 1, 2] ? "" : "-descending")",
                                 rowDirection: g.columnI.normalized, columnDirection: g.columnJ.normalized,
                                 firstPosition: g.origin, sliceStep: g.columnK, instanceOrder: order)
    }

    static func tools() throws -> (dump2dcm: String, dcm2niix: String) {
        let dump2dcm = try #require(ExternalTool.find("dump2dcm"),
                                    "dump2dcm (DCMTK) not found on PATH: install it with apt-get install dcmtk")
        let dcm2niix = try #require(ExternalTool.find("dcm2niix"),
                                    "dcm2niix not found on PATH: install it with apt-get install dcm2niix")
        return (dump2dcm, dcm2niix)
    }

    @Test(arguments: series)
    func writerMatchesDcm2niix(_ s: SyntheticCTSeries) throws {
        let (dump2dcm, dcm2niix) = try Self.tools()
        try withTempDirectory { dir in
            let dicomDir = dir + "/dicom", outDir = dir + "/out"
            try FileManager.default.createDirectory(atPath: dicomDir, withIntermediateDirectories: false)
            try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: false)
            try s.writeDICOM(to: dicomDir, dump2dcm: dump2dcm)
            let log = try ExternalTool.runChecked(dcm2niix, ["-z", "y", "-b", "n", "-f", "ref", "-o", outDir, dicomDir])
            let produced = try FileManager.default.contentsOfDirectory(atPath: outDir)
            try #require(produced == ["ref.nii.gz"], "dcm2niix wrote \(produced):\n\(log)")
            let reference = try NIfTI.read(path: outDir + "/ref.nii.gz")

            let oursPath = dir + "/ours.nii.gz"
            try NIfTI.write(s.volume, to: oursPath, dataType: .int16, description: s.name)
            let ours = try NIfTI.read(path: oursPath)

            #expect(ours.dims == reference.dims)
            #expect(ours.values == reference.values, "voxel order differs from dcm2niix")
            #expect(ours.sformCode == reference.sformCode && ours.qformCode == reference.qformCode)
            #expect(ours.pixdim[0] == reference.pixdim[0], "qfac")
            for (label, a, b) in [("sform", ours.sformRAS, reference.sformRAS), ("qform", ours.qformRAS, reference.qformRAS)] {
                let d = affineDifference(a, b)
                #expect(d.cosines < 1e-4 && d.translationMM < 0.1 && d.spacingMM < 1e-3,
                        "\(label) differs from dcm2niix: \(d)\nours \(a.m)\ndcm2niix \(b.m)")
            }
            // dcm2niix's file read into our convention gives back the grid the series defines.
            let back = try NIfTI.readVolume3D(path: outDir + "/ref.nii.gz")
            #expect(back.values == s.volume.values)
            #expect(back.grid.affineLPS.maxAbsDifference(s.grid.affineLPS) < 1e-3)
        }
    }
}
