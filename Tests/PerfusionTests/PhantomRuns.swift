import Foundation
import Imaging
import Phantom
@testable import Perfusion

/// One phantom study analysed once and shared by every test that reads it (Swift's static lets
/// are initialised once, thread-safely). 128 x 128 x 20 slices x 30 frames at 2 s, 8 HU noise:
/// the accuracy setting of the brief. The analysis runs in well under a second per study with -O.
struct PhantomRun: Sendable {
    let model: PhantomModel
    let volume: Volume4D
    let result: PerfusionResult

    init(_ scenario: PerfusionScenario, matrix: Int = 128, seed: UInt64 = 1, noiseHU: Double = 8,
         options: PerfusionOptions = PerfusionOptions()) {
        var spec = PhantomSpec()
        spec.scenario = scenario
        spec.matrix = matrix
        spec.slices = 20
        spec.frames = 30
        spec.noiseHU = noiseHU
        spec.seed = seed
        do {
            model = try PhantomModel(spec: spec)
            volume = PhantomRun.volume(model)
            result = try PerfusionAnalysis.run(PerfusionInput(volume: volume), options: options)
        } catch {
            fatalError("phantom \(scenario.rawValue) could not be analysed: \(error)")
        }
    }

    /// Every frame of the phantom as one Volume4D (HU as Float).
    static func volume(_ model: PhantomModel) -> Volume4D {
        var values: [Float] = []
        values.reserveCapacity(model.grid.voxelCount * model.frameTimes.count)
        for t in model.frameTimes.indices { values += model.renderFrame(t).map(Float.init) }
        return Volume4D(grid: model.grid, frameTimes: model.frameTimes, values: values)
    }

    var truth: PhantomTruth { model.truth }

    /// Voxels of a tissue label in a perfusion region that are in both brain masks.
    func voxels(label: TissueLabel, region: PerfusionRegion = .normal) -> [Int] {
        truth.labels.indices.filter {
            truth.labels[$0] == label.rawValue && truth.regions[$0] == region.rawValue
                && truth.brainMask.values[$0] > 0 && result.brainMask.values[$0] > 0
        }
    }

    /// Median of |estimate / truth - 1| over voxels.
    func medianAbsoluteRelativeError(_ map: KeyPath<PerfusionResult, Volume3D>, _ truthMap: KeyPath<PhantomTruth, Volume3D>,
                                     voxels: [Int]) -> Double {
        let estimate = result[keyPath: map].values, reference = truth[keyPath: truthMap].values
        let errors = voxels.map { abs(Double(estimate[$0]) / Double(reference[$0]) - 1) }.sorted()
        return errors[errors.count / 2]
    }

    /// Mean |Tmax - true Tmax| over brain tissue (voxels in both brain masks), s.
    var tmaxMeanAbsoluteErrorS: Double {
        let v = truth.labels.indices.filter { truth.brainMask.values[$0] > 0 && result.brainMask.values[$0] > 0 }
        return v.reduce(0.0) { $0 + abs(Double(result.tmax.values[$1] - truth.tmax.values[$1])) } / Double(v.count)
    }

    static func dice(_ a: Volume3D, _ b: Volume3D) -> Double {
        var both = 0, na = 0, nb = 0
        for v in a.values.indices {
            let x = a.values[v] > 0, y = b.values[v] > 0
            if x { na += 1 }
            if y { nb += 1 }
            if x && y { both += 1 }
        }
        return na + nb == 0 ? 1 : 2 * Double(both) / Double(na + nb)
    }
}

/// The studies, analysed on first use.
enum Runs {
    static let healthy = PhantomRun(.healthy)
    static let strokeLeft = PhantomRun(.strokeLeft)
    static let strokeRight = PhantomRun(.strokeRight)
    static let largeCore = PhantomRun(.largeCore)
    static let smallCore = PhantomRun(.smallCore)
    static let pvt = PhantomRun(.pvt)
    static let motion = PhantomRun(.motion)
    static let variableSampling = PhantomRun(.variableSampling)

    static func run(_ scenario: PerfusionScenario) -> PhantomRun {
        switch scenario {
        case .healthy: healthy
        case .strokeLeft: strokeLeft
        case .strokeRight: strokeRight
        case .largeCore: largeCore
        case .smallCore: smallCore
        case .pvt: pvt
        case .motion: motion
        case .variableSampling: variableSampling
        }
    }
}
