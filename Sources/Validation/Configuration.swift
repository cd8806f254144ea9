import Foundation
import Phantom

/// What the report measures: the Kudo-style grid, the lesion cases and the sensitivity runs.
/// `full` is the published report; `quick` the same kinds of results on a small grid and one
/// 64-matrix scenario (seconds; for tests).
public struct ValidationConfiguration: Sendable, Equatable {
    /// "full" or "quick"; printed in the report.
    public var name: String
    /// Part A: the grid's tiles and sampling. Its `noiseHU` is replaced by the noise the
    /// pipeline's fit sees, measured on the base study (`Experiments.run`).
    public var grid: GridDesign
    /// Part C on the grid: tissue noise SDs, HU (Part A's measured noise and `baseNoiseHU`, the
    /// unsmoothed stress case, are added when missing).
    public var gridNoiseSweepHU: [Double]
    /// Part B: lesion scenarios x seeds, and the healthy scenario's seeds (false positives).
    public var lesionScenarios: [PerfusionScenario]
    public var seeds: [UInt64]
    public var healthySeeds: [UInt64]
    /// In-plane matrix of the anatomical phantom (20 slices of 5 mm, 230 mm field of view).
    public var matrix: Int
    /// Part C on the anatomical phantom: one scenario (seed 1) at these noise SDs (HU, 2 s
    /// sampling) and these intervals (s, 8 HU), each scan lasting `scanDurationS`.
    public var sensitivityScenario: PerfusionScenario
    public var sensitivityNoiseHU: [Double]
    public var sensitivityIntervalsS: [Double]
    public var scanDurationS: Double
    /// Default phantom noise and interval (the base of the sweeps), HU and s.
    public var baseNoiseHU: Double
    public var baseIntervalS: Double

    /// Frames of a scan sampled every `intervalS`: Int(scanDurationS / intervalS).
    public func frames(intervalS: Double) -> Int { Int(scanDurationS / intervalS) }

    public static let full = ValidationConfiguration(
        name: "full",
        grid: GridDesign(cbfsMLPer100gPerMin: [10, 20, 30, 40, 50, 60, 80], mttsS: [2, 4, 6, 8, 12],
                         delaysS: [0, 2, 4, 6, 8, 10], voxelsPerTile: 64),
        gridNoiseSweepHU: [0, 2, 4, 8, 16],
        lesionScenarios: [.strokeLeft, .strokeRight, .largeCore, .smallCore, .pvt, .motion, .variableSampling],
        seeds: [1, 2, 3], healthySeeds: [1, 2, 3], matrix: 256,
        sensitivityScenario: .strokeLeft, sensitivityNoiseHU: [4, 8, 16, 24], sensitivityIntervalsS: [1, 2, 3, 4],
        scanDurationS: 60, baseNoiseHU: 8, baseIntervalS: 2)

    public static let quick = ValidationConfiguration(
        name: "quick",
        grid: GridDesign(cbfsMLPer100gPerMin: [20, 60], mttsS: [4, 8], delaysS: [0, 6], voxelsPerTile: 16),
        gridNoiseSweepHU: [0, 2, 8],
        lesionScenarios: [.strokeLeft], seeds: [1, 2], healthySeeds: [1], matrix: 64,
        sensitivityScenario: .strokeLeft, sensitivityNoiseHU: [4, 8], sensitivityIntervalsS: [2, 3],
        scanDurationS: 60, baseNoiseHU: 8, baseIntervalS: 2)
}
