import Foundation
import Perfusion
import Phantom

/// Everything the report shows, measured once.
public struct ValidationResults: Sendable {
    public let configuration: ValidationConfiguration
    /// Part A: tiles by the default (parametric) method and by block-circulant SVD.
    public let gridParametric: [GridTile]
    public let gridSVD: [GridTile]
    /// Part C on the grid: parametric tiles at each tissue noise SD (HU).
    public let gridNoise: [(noiseHU: Double, tiles: [GridTile])]
    /// Part B: lesion scenarios x seeds, and the healthy studies.
    public let lesionCases: [PhantomStudyResult]
    public let healthyCases: [PhantomStudyResult]
    /// Part C on the anatomical phantom.
    public let noiseRuns: [PhantomStudyResult]
    public let intervalRuns: [PhantomStudyResult]
}

/// Runs the three parts. `log` gets one line per step (stderr in the executable).
public enum Experiments {
    public static func run(_ c: ValidationConfiguration, log: (String) -> Void = { _ in }) throws -> ValidationResults {
        log("grid: \(c.grid.truths.count) tiles x \(c.grid.voxelsPerTile) curves, parametric and bcsvd")
        let parametric = try KudoGrid.run(c.grid, method: .parametric)
        let svd = try KudoGrid.run(c.grid, method: .blockCirculantSVD)
        var gridNoise: [(Double, [GridTile])] = []
        for noise in c.gridNoiseSweepHU {
            var design = c.grid
            design.noiseHU = noise
            gridNoise.append((noise, design == c.grid ? parametric : try KudoGrid.run(design, method: .parametric)))
        }

        // Studies are keyed by their spec, so the sweeps reuse the lesion cases' base run.
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
        return ValidationResults(configuration: c, gridParametric: parametric, gridSVD: svd,
                                 gridNoise: gridNoise.map { (noiseHU: $0.0, tiles: $0.1) },
                                 lesionCases: lesions, healthyCases: healthy, noiseRuns: noiseRuns, intervalRuns: intervalRuns)
    }
}
