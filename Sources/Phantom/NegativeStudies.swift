import DICOM
import Foundation
import Imaging

/// Studies ctperf must NOT analyse, and files it must skip with a clear reason.
enum NegativeStudies {
    /// single-phase (plain head CT), cta (thin slices at peak arterial enhancement), mr (an MR
    /// series with dynamic timing: rejected by SOP class, not by timing). Always single-frame files.
    static func writeStatic(_ request: PhantomRequest, model: PhantomModel, identity: StudyIdentity,
                            dicomDir: String, report: inout PhantomStudyReport) throws {
        let grid = model.grid
        let encoding = PixelEncoding.forLayout(request.layout == .enhanced ? .canon : request.layout)
        let orientation = grid.affineLPS.columnI.normalized.array + grid.affineLPS.columnJ.normalized.array
        var frames: [(hu: [Int16], grid: Grid, time: Double)] = []
        var description = ""
        var modality = "CT"
        var sopClass = SOPClass.ctImage
        switch request.phantomCase {
        case .singlePhase:
            frames = [(PixelEncoding.clampHU(model.renderStatic(grid: grid, contrast: .unenhanced)), grid, identity.startTime)]
            description = "HEAD PLAIN 5mm"
        case .cta:
            // 1 mm slices over the same slab, at peak arterial enhancement.
            let a = grid.affineLPS
            let thin = Grid(nx: grid.nx, ny: grid.ny, nz: grid.nz * 5,
                            affineLPS: Affine(columnI: a.columnI, columnJ: a.columnJ,
                                              columnK: a.columnK.normalized * 1.0, origin: a.origin))
            frames = [(PixelEncoding.clampHU(model.renderStatic(grid: thin, contrast: .arterialPeak)), thin, identity.startTime + 20)]
            description = "CTA HEAD 1mm"
        default:
            let count = min(model.frameTimes.count, 12)
            frames = (0..<count).map { (PixelEncoding.clampHU(model.renderFrame($0)), grid, identity.startTime + 3 * Double($0)) }
            description = "MR PERF DSC"
            modality = "MR"
            sopClass = SOPClass.mrImage
        }
        let series = identity.uid("series-\(request.phantomCase.rawValue)")
        var context = SeriesContext(identity: identity, seriesInstanceUID: series, seriesNumber: 2,
                                    seriesDescription: description, manufacturerModel: "\(request.layout.rawValue)-like export",
                                    seriesTime: identity.startTime)
        context.modality = modality
        var written = 0
        for (t, f) in frames.enumerated() {
            let perSlice = f.grid.voxelsPerSlice
            for k in 0..<f.grid.nz {
                let image = SliceImage(
                    sopInstanceUID: identity.uid("static-\(t)-\(k)"), instanceNumber: t * f.grid.nz + k + 1,
                    acquisitionNumber: t + 1, positionLPS: f.grid.positionLPS(i: 0, j: 0, k: Double(k)),
                    orientation: orientation, pixelSpacingMM: f.grid.spacingMM.x,
                    sliceThicknessMM: f.grid.affineLPS.columnK.length, gantryTiltDegrees: model.spec.gantryTiltDegrees,
                    time: f.time, timeStyle: .dateAndTime, temporalPosition: nil,
                    imageType: "ORIGINAL\\PRIMARY\\AXIAL")
                let path = (dicomDir as NSString).appendingPathComponent(String(format: "%@/IM%05d.dcm", modality, t * f.grid.nz + k + 1))
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try image.write(context: context, encoding: encoding, rows: f.grid.ny, columns: f.grid.nx,
                                hu: f.hu[(k * perSlice)..<((k + 1) * perSlice)], sopClassUID: sopClass,
                                path: path, transferSyntaxUID: request.transferSyntax.uid)
                written += 1
            }
        }
        report.filesWritten = written
        report.perfusionSeriesUIDs = []
        report.slices = frames[0].grid.nz
        report.timePoints = frames.count
        report.frameTimesS = frames.map { $0.time - frames[0].time }
        report.expectPerfusion = false
        report.expectComplete = true
    }

    /// Corrupt case: files that must each be skipped with a reason, beside a complete perfusion
    /// acquisition that must still be found. Returns file name (under DICOM/) -> expected reason keyword.
    static func writeBadFiles(plan: DynamicPlan, dicomDir: String) throws -> [String: String] {
        let dir = (dicomDir as NSString).appendingPathComponent("extra")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var bad: [String: String] = [:]
        func path(_ name: String) -> String { (dir as NSString).appendingPathComponent(name) }

        // Not DICOM at all.
        var rng = SeededRandom(seed: plan.request.spec.seed ^ 0xBAD)
        let garbage = (0..<4096).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        try Data(garbage).write(to: URL(fileURLWithPath: path("garbage.dcm")))
        bad["extra/garbage.dcm"] = "not a DICOM file"
        try Data("Exported by the ctperf phantom.\n".utf8).write(to: URL(fileURLWithPath: path("README.txt")))
        bad["extra/README.txt"] = "not a DICOM file"

        // Copies of a valid file cut inside its pixel data (an interrupted transfer) and inside its header.
        let valid = try Data(contentsOf: URL(fileURLWithPath: (dicomDir as NSString).appendingPathComponent(plan.relativePath(t: 0, k: 0))))
        try valid.prefix(valid.count - 1000).write(to: URL(fileURLWithPath: path("truncated.dcm")))
        bad["extra/truncated.dcm"] = "file truncated"
        try valid.prefix(700).write(to: URL(fileURLWithPath: path("truncated_header.dcm")))
        bad["extra/truncated_header.dcm"] = "file truncated or not written"

        // Well-formed DICOM that cannot be used.
        let model = plan.model
        let grid = model.grid
        let perSlice = grid.voxelsPerSlice
        let hu = PixelEncoding.clampHU(model.renderFrame(0))
        let orientation = grid.affineLPS.columnI.normalized.array + grid.affineLPS.columnJ.normalized.array
        let context = SeriesContext(identity: plan.identity, seriesInstanceUID: plan.seriesUIDs[0], seriesNumber: 3,
                                    seriesDescription: "CT PERFUSION HEAD 5mm", manufacturerModel: "corrupt-case extra",
                                    seriesTime: plan.identity.startTime)
        func image(_ role: String, omitted: Set<SliceImage.Omission> = [], orientation o: [Double]? = nil) -> SliceImage {
            var s = SliceImage(sopInstanceUID: plan.identity.uid("bad-\(role)"), instanceNumber: 9000 + bad.count,
                               acquisitionNumber: 99, positionLPS: grid.positionLPS(i: 0, j: 0, k: 0),
                               orientation: o ?? orientation, pixelSpacingMM: grid.spacingMM.x,
                               sliceThicknessMM: model.spec.sliceThicknessMM, gantryTiltDegrees: model.spec.gantryTiltDegrees,
                               time: plan.time(t: 0, k: 0) + 0.5, timeStyle: .dateAndTime, temporalPosition: nil)
            s.omitted = omitted
            return s
        }
        let slice0 = hu[0..<perSlice]
        let ts = TransferSyntax.explicitLittle
        try image("no-pixels", omitted: [.pixels]).write(context: context, encoding: plan.encoding, rows: grid.ny, columns: grid.nx,
                                                          hu: slice0, path: path("no_pixels.dcm"), transferSyntaxUID: ts)
        bad["extra/no_pixels.dcm"] = "without Pixel Data"
        try image("no-position", omitted: [.position]).write(context: context, encoding: plan.encoding, rows: grid.ny, columns: grid.nx,
                                                              hu: slice0, path: path("no_position.dcm"), transferSyntaxUID: ts)
        bad["extra/no_position.dcm"] = "no ImagePositionPatient"
        try image("no-time", omitted: [.time]).write(context: context, encoding: plan.encoding, rows: grid.ny, columns: grid.nx,
                                                      hu: slice0, path: path("no_time.dcm"), transferSyntaxUID: ts)
        bad["extra/no_time.dcm"] = "no acquisition time"
        let j2k = try image("jpeg2000").build(context: context, encoding: plan.encoding, rows: grid.ny, columns: grid.nx, hu: slice0)
        try j2k.saveOpaqueEncapsulated(path: path("jpeg2000.dcm"), transferSyntaxUID: TransferSyntax.jpeg2000Lossless,
                                       fragment: [0xFF, 0x4F, 0xFF, 0x51] + [UInt8](repeating: 0, count: 60), frames: 1)
        bad["extra/jpeg2000.dcm"] = "unsupported transfer syntax"
        // Same series, other matrix / orientation: excluded as inconsistent.
        let half = (0..<(grid.ny / 2)).flatMap { j in (0..<(grid.nx / 2)).map { i in hu[(2 * j) * grid.nx + 2 * i] } }
        try image("matrix").write(context: context, encoding: plan.encoding, rows: grid.ny / 2, columns: grid.nx / 2,
                                  hu: half[...], path: path("wrong_matrix.dcm"), transferSyntaxUID: ts)
        bad["extra/wrong_matrix.dcm"] = "inconsistent with its series"
        try image("orientation", orientation: [0, 1, 0, 0, 0, -1]).write(
            context: context, encoding: plan.encoding, rows: grid.ny, columns: grid.nx,
            hu: slice0, path: path("wrong_orientation.dcm"), transferSyntaxUID: ts)
        bad["extra/wrong_orientation.dcm"] = "inconsistent with its series"
        return bad
    }
}
