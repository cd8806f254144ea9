import Foundation
import Perfusion
import Phantom

/// Where Part A's noise comes from: the noise the pipeline's fit sees, measured on one study.
public struct FitNoiseMeasurement: Sendable {
    /// The anatomical study (the configuration's sensitivity scenario, seed 1, base noise and
    /// interval) whose metrics report the noise.
    public let study: PhantomStudyResult
    /// `study.smoothedNoiseSDHU` rounded to 0.1 HU: Part A's tissue noise SD, HU.
    public let gridNoiseHU: Double

    /// `smoothedNoiseSDHU` rounded to 0.1 HU.
    public static func rounded(_ noiseHU: Double) -> Double { (noiseHU * 10).rounded() / 10 }
}

/// Everything the report shows, measured once.
public struct ValidationResults: Sendable {
    public let configuration: ValidationConfiguration
    /// Part A's noise, measured by the pipeline (`smoothed_noise_sd_hu` of the base study).
    public let fitNoise: FitNoiseMeasurement
    /// Part A's design as run: the configuration's grid with `noiseHU = fitNoise.gridNoiseHU`.
    public let grid: GridDesign
    /// Part A: tiles by the default (parametric) method and by block-circulant SVD.
    public let gridParametric: [GridTile]
    public let gridSVD: [GridTile]
    /// Part C on the grid: parametric tiles at each tissue noise SD (HU), ascending; includes
    /// Part A's measured noise and the unsmoothed per-voxel noise (`baseNoiseHU`, the stress case).
    public let gridNoise: [(noiseHU: Double, tiles: [GridTile])]
    /// Part B: lesion scenarios x seeds, and the healthy studies.
    public let lesionCases: [PhantomStudyResult]
    public let healthyCases: [PhantomStudyResult]
    /// Part C on the anatomical phantom.
    public let noiseRuns: [PhantomStudyResult]
    public let intervalRuns: [PhantomStudyResult]

    /// The grid at the unsmoothed per-voxel noise (`baseNoiseHU`): the stress case.
    public var gridUnsmoothed: (noiseHU: Double, tiles: [GridTile])? {
        gridNoise.first { $0.noiseHU == configuration.baseNoiseHU }
    }
}

/// Runs the three parts. `log` gets one line per step (stderr in the executable).
public enum Experiments {
    public static func run(_ c: ValidationConfiguration, log: (String) -> Void = { _ in }) throws -> ValidationResults {
        // Studies are keyed by their spec, so the sweeps and lesion cases reuse the base run.
        var studies: [String: PhantomStudyResult] = [:]
        func study(_ scenario: PerfusionScenario, seed: UInt64, noiseHU: Double, intervalS: Double) throws -> PhantomStudyResult {
            let frames = c.frames(intervalS: intervalS)
            let key = "\(scenario.rawValue)/\(seed)/\(noiseHU)/\(intervalS)/\(frames)"
            if let done = studies[key] { return done }
            let start = Date()
            let r = try PhantomStudy.run(scenario: scenario, seed: seed, matrix: c.matrix, noiseHU: noiseHU,
                                         intervalS: intervalS, frames: frames)
            log(String(format: "phantom %@ seed %llu, %.0f HU, %.1f s x %d frames: %.1f s", scenario.rawValue, seed,
                       noiseHU, intervalS, frames, Date().timeIntervalSince(start)))
            studies[key] = r
            return r
        }

        // Part A fits curves at the noise the pipeline's fit sees, measured on the base study
        // after its adaptive smoothing, not at the per-voxel noise the smoothing removes.
        let base = try study(c.sensitivityScenario, seed: 1, noiseHU: c.baseNoiseHU, intervalS: c.baseIntervalS)
        let fitNoise = FitNoiseMeasurement(study: base, gridNoiseHU: FitNoiseMeasurement.rounded(base.smoothedNoiseSDHU))
        var grid = c.grid
        grid.noiseHU = fitNoise.gridNoiseHU
        // The AIF is not smoothed in the pipeline: it keeps the noise of 8 averaged raw voxels,
        // in Part A and in the whole tissue-noise sweep.
        grid.aifNoiseHU = c.baseNoiseHU / 8.0.squareRoot()
        log(String(format: "fit noise: smoothed_noise_sd_hu %.3f HU -> grid noise %.1f HU", base.smoothedNoiseSDHU, grid.noiseHU))

        log("grid: \(grid.truths.count) tiles x \(grid.voxelsPerTile) curves, parametric and bcsvd")
        let parametric = try KudoGrid.run(grid, method: .parametric)
        let svd = try KudoGrid.run(grid, method: .blockCirculantSVD)
        var gridNoise: [(Double, [GridTile])] = []
        // The sweep always holds Part A's noise and the unsmoothed per-voxel noise (stress case).
        for noise in Set(c.gridNoiseSweepHU + [grid.noiseHU, c.baseNoiseHU]).sorted() {
            var design = grid
            design.noiseHU = noise
            gridNoise.append((noise, design == grid ? parametric : try KudoGrid.run(design, method: .parametric)))
        }

        var lesions: [PhantomStudyResult] = []
        for scenario in c.lesionScenarios {
            for seed in c.seeds {
                lesions.append(try study(scenario, seed: seed, noiseHU: c.baseNoiseHU, intervalS: c.baseIntervalS))
            }
        }
        let healthy = try c.healthySeeds.map { try study(.healthy, seed: $0, noiseHU: c.baseNoiseHU, intervalS: c.baseIntervalS) }
        let noiseRuns = try c.sensitivityNoiseHU.map {
            try study(c.sensitivityScenario, seed: 1, noiseHU: $0, intervalS: c.baseIntervalS)
        }
        let intervalRuns = try c.sensitivityIntervalsS.map {
            try study(c.sensitivityScenario, seed: 1, noiseHU: c.baseNoiseHU, intervalS: $0)
        }
        return ValidationResults(configuration: c, fitNoise: fitNoise, grid: grid, gridParametric: parametric, gridSVD: svd,
                                 gridNoise: gridNoise.map { (noiseHU: $0.0, tiles: $0.1) },
                                 lesionCases: lesions, healthyCases: healthy, noiseRuns: noiseRuns, intervalRuns: intervalRuns)
    }
}
