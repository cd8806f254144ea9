import DICOM
import Foundation
import Imaging
import Outputs

/// `ctperf phantom`: the DICOM study plus its ground truth on disk.
public enum PhantomOutput {
    public struct Result: Sendable {
        public var report: PhantomStudyReport
        public var truthDirectory: String
        public var model: PhantomModel
    }

    /// The model behind a request (the case picks the scenario and DICOM-level variations).
    public static func model(for request: PhantomRequest) throws -> PhantomModel {
        var spec = request.spec
        spec.scenario = request.phantomCase.scenario
        if request.phantomCase == .tilt { spec.gantryTiltDegrees = 15 }
        if request.phantomCase == .incomplete && request.layout == .enhanced {
            throw PhantomError("the incomplete case needs a single-frame layout (siemens, ge, philips or canon)")
        }
        return try PhantomModel(spec: spec)
    }

    /// Write DIR/DICOM and DIR/truth. The output folder may exist; files in it are replaced.
    public static func write(_ request: PhantomRequest, to directory: String) throws -> Result {
        let model = try model(for: request)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let report = try StudyWriter.write(request, model: model, to: directory)
        let truthDir = (directory as NSString).appendingPathComponent("truth")
        try writeTruth(model, report: report, to: truthDir)
        return Result(report: report, truthDirectory: truthDir, model: model)
    }

    /// NIfTI maps and masks of the truth, truth.json (metrics) and study.json (what was written).
    public static func writeTruth(_ model: PhantomModel, report: PhantomStudyReport, to dir: String) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let t = model.truth
        func path(_ name: String) -> String { (dir as NSString).appendingPathComponent(name) }
        let maps: [(String, Volume3D, String)] = [
            ("cbf.nii.gz", t.cbf, "true CBF mL/100g/min"), ("cbv.nii.gz", t.cbv, "true CBV mL/100g"),
            ("mtt.nii.gz", t.mtt, "true MTT s"), ("tmax.nii.gz", t.tmax, "true Tmax s"),
        ]
        for (name, volume, description) in maps {
            try NIfTI.write(volume, to: path(name), dataType: .float32, description: description)
        }
        let masks: [(String, Volume3D)] = [
            ("brain_mask.nii.gz", t.brainMask), ("core_mask.nii.gz", t.coreMask),
            ("penumbra_mask.nii.gz", t.penumbraMask), ("oligaemia_mask.nii.gz", t.oligaemiaMask),
            ("hypoperf_mask_tmax6.nii.gz", t.hypoperfusionMask),
            ("sinus_mask.nii.gz", t.sinusMask), ("torcula_mask.nii.gz", t.torculaMask),
        ]
        for (name, volume) in masks {
            try NIfTI.write(volume, to: path(name), dataType: .uint8, description: "truth mask")
        }
        let labels = Volume3D(grid: model.grid, values: t.labels.map(Float.init))
        try NIfTI.write(labels, to: path("labels.nii.gz"), dataType: .uint8,
                        description: "tissue labels (see truth.json)")
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.keyEncodingStrategy = .convertToSnakeCase
        try AtomicFile.write(try e.encode(TruthDocument(model: model)), to: path("truth.json"))
        try AtomicFile.write(try e.encode(report), to: path("study.json"))
    }
}

/// truth.json: the metrics plus the curves and labels a reader needs to interpret the maps.
struct TruthDocument: Encodable {
    var schema = "ctperf.truth/1"
    var scenario: String
    var seed: UInt64
    var frameTimesS: [Double]
    var aifDeltaHU: [Double]
    var vofDeltaHU: [Double]
    var tissueLabels: [String: Int]
    var voxelVolumeML: Double
    var metrics: PhantomTruthMetrics

    init(model: PhantomModel) {
        scenario = model.spec.scenario.rawValue
        seed = model.spec.seed
        frameTimesS = model.frameTimes
        aifDeltaHU = model.truth.aifDeltaHU
        vofDeltaHU = model.truth.vofDeltaHU
        tissueLabels = Dictionary(uniqueKeysWithValues: TissueLabel.allCases.map { ("\($0)", Int($0.rawValue)) })
        voxelVolumeML = model.grid.voxelVolumeML
        metrics = model.truth.metrics
    }
}
