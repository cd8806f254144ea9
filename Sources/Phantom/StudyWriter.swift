import DICOM
import Foundation
import Imaging

/// What `ctperf phantom` writes, and what a reader of the folder should find.
public struct PhantomRequest: Sendable {
    public var phantomCase: PhantomCase = .strokeLeft
    public var layout: StudyLayout = .siemens
    public var transferSyntax: PhantomTransferSyntax = .explicit
    public var spec = PhantomSpec()
    /// Write the series into the study (same StudyInstanceUID, patient, frame of reference) of
    /// another case with the same seed, e.g. a CTA in the study of a stroke perfusion scan.
    public var studyOf: PhantomCase?
    public init() {}
}

/// The expected structure of the written study (used by tests and printed by the CLI).
public struct PhantomStudyReport: Sendable, Codable {
    public var phantomCase: String
    public var layout: String
    public var transferSyntaxUID: String
    public var dicomDirectory: String
    public var filesWritten: Int
    public var studyInstanceUID: String
    public var perfusionSeriesUIDs: [String]
    public var slices: Int
    public var timePoints: Int
    public var frameTimesS: [Double]
    public var expectPerfusion: Bool
    public var expectComplete: Bool
    /// Files deliberately unusable (corrupt case): file name -> what is wrong.
    public var badFiles: [String: String]
}

/// Writes a phantom study as DICOM in a vendor-like layout and transfer syntax.
public enum StudyWriter {
    /// Write the study under `directory/DICOM`. Returns what was written.
    public static func write(_ request: PhantomRequest, model: PhantomModel, to directory: String,
                             threads: Int = defaultThreadCount()) throws -> PhantomStudyReport {
        let dicomDir = (directory as NSString).appendingPathComponent("DICOM")
        try FileManager.default.createDirectory(atPath: dicomDir, withIntermediateDirectories: true)
        let identity = StudyIdentity(seed: request.spec.seed, phantomCase: request.phantomCase, studyOf: request.studyOf)
        var report = PhantomStudyReport(
            phantomCase: request.phantomCase.rawValue, layout: request.layout.rawValue,
            transferSyntaxUID: request.transferSyntax.uid, dicomDirectory: dicomDir, filesWritten: 0,
            studyInstanceUID: identity.studyInstanceUID, perfusionSeriesUIDs: [], slices: model.grid.nz,
            timePoints: model.frameTimes.count, frameTimesS: model.frameTimes,
            expectPerfusion: true, expectComplete: true, badFiles: [:])
        switch request.phantomCase {
        case .singlePhase, .cta, .mr:
            try NegativeStudies.writeStatic(request, model: model, identity: identity, dicomDir: dicomDir, report: &report)
        default:
            let plan = DynamicPlan(request: request, model: model, identity: identity)
            report.perfusionSeriesUIDs = plan.seriesUIDs
            report.filesWritten = try plan.write(dicomDir: dicomDir, threads: threads)
            if request.phantomCase == .incomplete {
                let removed = try plan.removeLateFrames(dicomDir: dicomDir)
                report.filesWritten -= removed
                report.expectComplete = false
            }
            if request.phantomCase == .corrupt {
                let bad = try NegativeStudies.writeBadFiles(plan: plan, dicomDir: dicomDir)
                report.badFiles = bad
                report.filesWritten += bad.count
            }
        }
        return report
    }
}

/// The dynamic (perfusion) acquisition: which file holds which (t, k), per layout.
struct DynamicPlan: Sendable {
    let request: PhantomRequest
    let model: PhantomModel
    let identity: StudyIdentity
    let encoding: PixelEncoding
    let seriesUIDs: [String]

    init(request: PhantomRequest, model: PhantomModel, identity: StudyIdentity) {
        self.request = request
        self.model = model
        self.identity = identity
        encoding = PixelEncoding.forLayout(request.layout)
        switch request.layout {
        case .canon: seriesUIDs = (0..<model.frameTimes.count).map { identity.uid("series-\($0)") }
        default: seriesUIDs = [identity.uid("series-perfusion")]
        }
    }

    var nt: Int { model.frameTimes.count }
    var nz: Int { model.grid.nz }

    /// Scanner-clock time of slice k in time point t. GE-like exports stamp each slice a little
    /// later within the rotation; the others give one time per time point.
    func time(t: Int, k: Int) -> Double {
        let base = identity.startTime + 5 + model.frameTimes[t]
        return request.layout == .ge ? base + 0.02 * Double(k) : base
    }

    func sopUID(t: Int, k: Int) -> String { identity.uid("image-\(t)-\(k)") }

    /// Relative path (under DICOM/) of the file holding (t, k).
    func relativePath(t: Int, k: Int) -> String {
        let n = t * nz + k + 1
        switch request.layout {
        case .siemens:
            // Names that do not sort in acquisition order.
            let h = String(format: "%08X", UInt32(truncatingIfNeeded: (UInt64(n) &* 2_654_435_761) >> 3))
            return "\(h).dcm"
        case .ge: return "S000003/IM\(n)"
        case .philips: return "IMAGES/IM_\(String(format: "%05d", nt * nz - n + 1))"
        case .canon: return "\(String(format: "%03d", 100 + t))/\(k + 1).dcm"
        case .enhanced: return "ENHANCED_CT.dcm"
        }
    }

    func writeFrameFiles(t: Int, hu: [Int16], dicomDir: String) throws -> Int {
        let perSlice = model.grid.voxelsPerSlice
        let spacing = model.grid.spacingMM.x
        let o = model.grid.affineLPS
        let orientation = (o.columnI.normalized.array + o.columnJ.normalized.array)
        let canon = request.layout == .canon
        for k in 0..<nz {
            let context = SeriesContext(
                identity: identity, seriesInstanceUID: canon ? seriesUIDs[t] : seriesUIDs[0],
                seriesNumber: canon ? 100 + t : 3,
                seriesDescription: canon ? "CTP HEAD PHASE \(t + 1)" : "CT PERFUSION HEAD 5mm",
                manufacturerModel: "\(request.layout.rawValue)-like export", seriesTime: identity.startTime)
            let image = SliceImage(
                sopInstanceUID: sopUID(t: t, k: k), instanceNumber: canon ? k + 1 : t * nz + k + 1,
                acquisitionNumber: t + 1, positionLPS: model.grid.positionLPS(i: 0, j: 0, k: Double(k)),
                orientation: orientation, pixelSpacingMM: spacing,
                sliceThicknessMM: model.spec.sliceThicknessMM, gantryTiltDegrees: model.spec.gantryTiltDegrees,
                time: time(t: t, k: k),
                timeStyle: request.phantomCase == .midnight ? .timeWithStudyDate : (request.layout == .philips ? .dateTime : .dateAndTime),
                temporalPosition: request.layout == .philips ? (t + 1, nt) : nil)
            let path = (dicomDir as NSString).appendingPathComponent(relativePath(t: t, k: k))
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try image.write(context: context, encoding: encoding, rows: model.grid.ny, columns: model.grid.nx,
                            hu: hu[(k * perSlice)..<((k + 1) * perSlice)],
                            path: path, transferSyntaxUID: request.transferSyntax.uid)
        }
        return nz
    }

    /// Write every frame. Frames are rendered and written in parallel.
    func write(dicomDir: String, threads: Int) throws -> Int {
        if request.layout == .enhanced {
            return try EnhancedCTWriter(plan: self).write(dicomDir: dicomDir)
        }
        let results: [Result<Int, Error>] = parallelMap(nt, threads: threads) { t in
            Result { try writeFrameFiles(t: t, hu: PixelEncoding.clampHU(model.renderFrame(t)), dicomDir: dicomDir) }
        }
        return try results.reduce(0) { $0 + (try $1.get()) }
    }

    /// Incomplete case: the last 3 time points of the upper half of the slices never arrived.
    func removeLateFrames(dicomDir: String) throws -> Int {
        guard request.layout != .enhanced else {
            throw PhantomError("the incomplete case needs a single-frame layout (siemens, ge, philips or canon)")
        }
        var removed = 0
        for t in max(0, nt - 3)..<nt {
            for k in (nz / 2)..<nz {
                try FileManager.default.removeItem(atPath: (dicomDir as NSString).appendingPathComponent(relativePath(t: t, k: k)))
                removed += 1
            }
        }
        return removed
    }
}
