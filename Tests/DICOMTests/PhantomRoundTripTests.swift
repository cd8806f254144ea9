import Foundation
import Imaging
import Phantom
import TestSupport
import Testing
@testable import DICOM

/// Phantom -> DICOM files -> scan -> group -> load, for every layout and transfer syntax:
/// the structure is found and (all syntaxes are lossless) the HU equal what was rendered.
struct PhantomRoundTripTests {
    static func request(_ layout: StudyLayout, _ ts: PhantomTransferSyntax, case c: PhantomCase = .strokeLeft) -> PhantomRequest {
        var r = PhantomRequest()
        r.phantomCase = c
        r.layout = layout
        r.transferSyntax = ts
        r.spec.matrix = 64
        r.spec.slices = 3
        r.spec.frames = 12
        r.spec.intervalS = 3
        return r
    }

    static func tempDir() -> String { TemporaryDirectory.make("ctperf-dicom") }

    @Test(arguments: StudyLayout.allCases, PhantomTransferSyntax.allCases)
    func everyLayoutAndSyntaxLoadsVoxelForVoxel(layout: StudyLayout, syntax: PhantomTransferSyntax) throws {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let req = Self.request(layout, syntax)
        let model = try PhantomOutput.model(for: req)
        let report = try StudyWriter.write(req, model: model, to: dir)
        let scan = try FolderScanner.scan(root: report.dicomDirectory)
        #expect(scan.skipped.isEmpty, "skipped: \(scan.skipped)")
        let grouped = AcquisitionGrouper.group(scan.instances)
        #expect(grouped.acquisitions.count == 1)
        let a = try #require(grouped.acquisitions.first)
        #expect(a.perfusion && a.complete, "\(a.notPerfusionReasons) \(a.missing)")
        #expect(a.sliceCount == 3 && a.timePointCount == 12)
        #expect(a.layout == (layout == .enhanced ? .multiFrame : layout == .canon ? .seriesPerTimePoint : .singleSeries))
        let rel = a.timePointTimes.map { $0 - a.timePointTimes[0] }
        for (found, truth) in zip(rel, model.frameTimes) {
            // GE-like slices are stamped 0.02 s apart; the time point is their median.
            #expect(abs(found - (truth - model.frameTimes[0])) < 0.03)
        }

        let loaded = try AcquisitionLoader.load(a, instances: scan.instances)
        #expect(loaded.volume.grid.nx == 64 && loaded.volume.grid.nz == 3)
        #expect(loaded.volume.grid.affineLPS.maxAbsDifference(model.grid.affineLPS) < 1e-3)
        let perFrame = model.grid.voxelCount
        for t in [0, 5, 11] {
            let truth = PhantomHU.clamped(model.renderFrame(t))
            let got = loaded.volume.values[(t * perFrame)..<((t + 1) * perFrame)]
            let mismatches = zip(truth, got).filter { Float($0) != $1 }.count
            #expect(mismatches == 0, "frame \(t): \(mismatches) voxels differ")
        }
        #expect(loaded.sources.count == 12 && loaded.sources[0].count == 3)
        #expect(loaded.copied.contains { $0.keyword == "PatientID" })
    }

    @Test func gantryTiltIsReportedAndTheAffineFollowsThePositions() throws {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let req = Self.request(.siemens, .explicit, case: .tilt)
        let model = try PhantomOutput.model(for: req)
        let report = try StudyWriter.write(req, model: model, to: dir)
        let (inspect, scan, grouped) = try InspectReport.make(directory: report.dicomDirectory)
        let a = try #require(inspect.acquisitions.first)
        #expect(abs((a.gantryTiltDeg ?? 0) - 15) < 0.01)
        #expect(a.perfusion && a.complete)
        let grid = try AcquisitionLoader.grid(of: grouped.acquisitions[0], scan.instances)
        #expect(grid.affineLPS.maxAbsDifference(model.grid.affineLPS) < 1e-3)
    }
}
