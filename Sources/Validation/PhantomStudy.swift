import Foundation
import Imaging
import Perfusion
import Phantom

/// Mean errors of the maps in normal grey matter (cortex label, normal region, in both the
/// truth's and the analysis's brain mask), the tissue PerfusionTests' accuracy tests use.
public struct GreyMatterErrors: Sendable, Equatable {
    public let voxels: Int
    /// (mean estimate / truth - 1) x 100, %.
    public let cbfBiasPercent: Double
    public let mttBiasPercent: Double
    /// Median |estimate / truth - 1| x 100 over the voxels, %.
    public let cbfMedianAbsoluteErrorPercent: Double
    public let mttMedianAbsoluteErrorPercent: Double
    /// Mean (estimate - truth), s.
    public let tmaxBiasS: Double
    /// Mean |Tmax - true Tmax| over all brain tissue in both masks, s.
    public let brainTmaxMeanAbsoluteErrorS: Double
}

/// One anatomical phantom study, rendered and analysed by the full pipeline, with its truth.
public struct PhantomStudyResult: Sendable {
    public let scenario: PerfusionScenario
    public let seed: UInt64
    public let matrix: Int
    public let noiseHU: Double
    public let intervalS: Double
    public let frames: Int
    public let truth: PhantomTruthMetrics
    public let estimated: PerfusionMetrics
    public let greyMatter: GreyMatterErrors

    /// Robust noise SD of the smoothed tissue curves the run's fit saw, HU (metrics.json
    /// `smoothed_noise_sd_hu`, `Quality.noiseSD` after `AdaptiveSmoothing`).
    public var smoothedNoiseSDHU: Double { estimated.smoothedNoiseSdHU }
}

/// Renders a phantom study the way PerfusionTests' PhantomRuns does (every frame into one
/// `Volume4D`) and runs `PerfusionAnalysis.run` with default options.
public enum PhantomStudy {
    public static func run(scenario: PerfusionScenario, seed: UInt64, matrix: Int, noiseHU: Double = 8,
                           intervalS: Double = 2, frames: Int = 30) throws -> PhantomStudyResult {
        var spec = PhantomSpec()
        spec.scenario = scenario
        spec.matrix = matrix
        spec.slices = 20
        spec.frames = frames
        spec.intervalS = intervalS
        spec.noiseHU = noiseHU
        spec.seed = seed
        let model = try PhantomModel(spec: spec)
        var values: [Float] = []
        values.reserveCapacity(model.grid.voxelCount * model.frameTimes.count)
        for t in model.frameTimes.indices { values += model.renderFrame(t).map(Float.init) }
        let volume = Volume4D(grid: model.grid, frameTimes: model.frameTimes, values: values)
        let result = try PerfusionAnalysis.run(PerfusionInput(volume: volume), options: PerfusionOptions())
        return PhantomStudyResult(scenario: scenario, seed: seed, matrix: matrix, noiseHU: noiseHU, intervalS: intervalS,
                                  frames: frames, truth: model.truth.metrics, estimated: result.metrics,
                                  greyMatter: greyMatterErrors(truth: model.truth, result: result))
    }

    static func greyMatterErrors(truth: PhantomTruth, result: PerfusionResult) -> GreyMatterErrors {
        let inBoth = truth.labels.indices.filter { truth.brainMask.values[$0] > 0 && result.brainMask.values[$0] > 0 }
        let grey = inBoth.filter {
            truth.labels[$0] == TissueLabel.greyMatter.rawValue && truth.regions[$0] == PerfusionRegion.normal.rawValue
        }
        func values(_ v: Volume3D) -> [Double] { grey.map { Double(v.values[$0]) } }
        let cbf = values(result.cbf), trueCBF = values(truth.cbf)
        let mtt = values(result.mtt), trueMTT = values(truth.mtt)
        let tmax = values(result.tmax), trueTmax = values(truth.tmax)
        func relativeErrors(_ e: [Double], _ t: [Double]) -> [Double] { zip(e, t).map { 100 * abs($0 / $1 - 1) } }
        let brainTmaxErrors = inBoth.map { abs(Double(result.tmax.values[$0] - truth.tmax.values[$0])) }
        return GreyMatterErrors(
            voxels: grey.count,
            cbfBiasPercent: 100 * (Statistics.mean(cbf) / Statistics.mean(trueCBF) - 1),
            mttBiasPercent: 100 * (Statistics.mean(mtt) / Statistics.mean(trueMTT) - 1),
            cbfMedianAbsoluteErrorPercent: Statistics.median(relativeErrors(cbf, trueCBF)),
            mttMedianAbsoluteErrorPercent: Statistics.median(relativeErrors(mtt, trueMTT)),
            tmaxBiasS: Statistics.mean(zip(tmax, trueTmax).map { $0 - $1 }),
            brainTmaxMeanAbsoluteErrorS: Statistics.mean(brainTmaxErrors))
    }
}

/// The lesion volumes compared in the report, mL.
public enum LesionVolume: String, Sendable, CaseIterable {
    case core = "core", hypoperfusion = "Tmax > 6 s", penumbra = "penumbra"
    case tmaxOver4s = "Tmax > 4 s", tmaxOver8s = "Tmax > 8 s", tmaxOver10s = "Tmax > 10 s"

    public func truth(_ m: PhantomTruthMetrics) -> Double { value(m) }
    public func estimate(_ m: PerfusionMetrics) -> Double { value(m) }

    /// The truth and the analysis name their volumes alike, so one switch reads both.
    func value(_ m: some LesionVolumeFields) -> Double {
        switch self {
        case .core: m.coreVolumeML
        case .hypoperfusion: m.hypoperfusionVolumeML
        case .penumbra: m.penumbraVolumeML
        case .tmaxOver4s: m.tmaxOver4sVolumeML
        case .tmaxOver8s: m.tmaxOver8sVolumeML
        case .tmaxOver10s: m.tmaxOver10sVolumeML
        }
    }
}

/// The lesion volumes (mL) that the phantom's truth and the analysis' metrics both carry.
protocol LesionVolumeFields {
    var coreVolumeML: Double { get }
    var hypoperfusionVolumeML: Double { get }
    var penumbraVolumeML: Double { get }
    var tmaxOver4sVolumeML: Double { get }
    var tmaxOver8sVolumeML: Double { get }
    var tmaxOver10sVolumeML: Double { get }
}

extension PhantomTruthMetrics: LesionVolumeFields {}
extension PerfusionMetrics: LesionVolumeFields {}
