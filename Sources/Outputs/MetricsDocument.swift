import DICOM
import Foundation
import Imaging
import Perfusion

/// Everything one result folder needs to know about its run.
struct ResultContext: Sendable {
    var request: AnalyzeRequest
    var acquisition: AcquisitionSummary
    var loaded: LoadedAcquisition
    var result: PerfusionResult
    var roi: ROIMask?
    var contra: ROIMask?
}

/// ctperf's version, written into every result.
public enum CtperfVersion {
    public static let string = "0.1.0"
}

/// metrics.json, schema "ctperf.metrics/1" (docs/metrics-json.md). Keys are snake_case; every
/// value carries its unit in its name (`_ml`, `_s`, `_ml_per100g_per_min`, `_percent`, ratios bare).
struct MetricsDocument: Encodable {
    struct Software: Encodable { var name = "ctperf"; var version = CtperfVersion.string }
    struct Input: Encodable {
        var dicomDirectory: String
        var studyInstanceUID: String
        var seriesInstanceUIDs: [String]
        var acquisitionID: Int
        var layout: String
        var modality: String
        var rows: Int
        var columns: Int
        var slices: Int
        var timePoints: Int
        var frameTimesS: [Double]
        var voxelSizeMM: [Double]
        var voxelVolumeML: Double
        var gantryTiltDeg: Double?
        var transferSyntaxUIDs: [String]
    }
    struct Mask: Encodable { var path: String; var voxels: Int; var resampledByWorldCoordinates: Bool }
    struct Masks: Encodable { var roiMask: Mask?; var contraMask: Mask? }

    var schema = "ctperf.metrics/1"
    var researchUseOnly = "Research use only. Not a medical device; not for diagnosis or treatment decisions."
    var software = Software()
    var input: Input
    var options: PerfusionOptions
    var userMasks: Masks
    var metrics: PerfusionMetrics
    var qualityFlags: [QualityFlag]
    var aif: CurveInfo
    var vof: CurveInfo
    var outputs: [String: String]

    init(_ c: ResultContext, outputs: [String: String]) {
        let g = c.loaded.volume.grid
        input = Input(dicomDirectory: c.request.dicomDirectory, studyInstanceUID: c.loaded.studyInstanceUID,
                      seriesInstanceUIDs: c.loaded.seriesInstanceUIDs, acquisitionID: c.acquisition.id,
                      layout: c.acquisition.layout, modality: c.acquisition.modality, rows: g.ny, columns: g.nx,
                      slices: g.nz, timePoints: c.loaded.volume.nt, frameTimesS: c.loaded.volume.frameTimes,
                      voxelSizeMM: [g.spacingMM.x, g.spacingMM.y, g.sliceSpacingAlongNormalMM], voxelVolumeML: g.voxelVolumeML,
                      gantryTiltDeg: c.acquisition.gantryTiltDeg, transferSyntaxUIDs: c.acquisition.transferSyntaxUIDs)
        options = c.request.options
        userMasks = Masks(roiMask: c.roi.map { Mask(path: $0.path, voxels: $0.voxels, resampledByWorldCoordinates: $0.resampled) },
                          contraMask: c.contra.map { Mask(path: $0.path, voxels: $0.voxels, resampledByWorldCoordinates: $0.resampled) })
        metrics = c.result.metrics
        qualityFlags = c.result.qualityFlags
        aif = c.result.aif
        vof = c.result.vof
        self.outputs = outputs
    }

    func json() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.keyEncodingStrategy = .custom { path in SnakeCaseKey(FlatCSV.snakeCase(path.last!.stringValue)) }
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try e.encode(self)
    }
}

/// metrics.csv: one header row and one data row; columns are fixed by the types (see FlatCSV).
struct MetricsCSVRow {
    var softwareVersion = CtperfVersion.string
    var studyInstanceUID: String
    var seriesInstanceUIDs: [String]
    var metrics: PerfusionMetrics
    var qualityFlags: [String]

    init(_ c: ResultContext) {
        studyInstanceUID = c.loaded.studyInstanceUID
        seriesInstanceUIDs = c.loaded.seriesInstanceUIDs
        metrics = c.result.metrics
        qualityFlags = c.result.qualityFlags.map(\.code.rawValue)
    }
}

/// A metrics.json key already converted to snake_case (the same conversion as metrics.csv).
private struct SnakeCaseKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ stringValue: String) { self.stringValue = stringValue }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
