import Foundation
import Perfusion
import Phantom

/// The tiles of a digital phantom in the spirit of Kudo et al. (Radiology 2013;267:201): every
/// combination of true CBF, MTT and delay, each tile `voxelsPerTile` independent noisy curves.
/// Curves are the anatomical phantom's (`BolusModel`: the AIF `GammaVariateBolus.arterialInput`
/// convolved with the exponential residue, scaled by (rho/kH) CBF/6000 and shifted by the delay).
public struct GridDesign: Sendable, Equatable {
    /// mL/100g/min
    public var cbfsMLPer100gPerMin: [Double]
    /// s
    public var mttsS: [Double]
    /// Tracer delay = true Tmax, s.
    public var delaysS: [Double]
    public var voxelsPerTile: Int
    public var frames: Int
    /// Uniform sampling interval, s (frames at 0, interval, 2 interval, ...).
    public var intervalS: Double
    /// SD of the Gaussian noise added to every tissue sample, HU.
    public var noiseHU: Double
    /// SD of the Gaussian noise added to every AIF sample, HU. The pipeline's AIF is the mean of
    /// up to 8 unsmoothed arterial voxels (`ArterialInput.averagedAIF`): the per-voxel noise / √8.
    public var aifNoiseHU: Double
    public var seed: UInt64

    /// `aifNoiseHU` defaults to `noiseHU` / √8 (an AIF averaged from 8 voxels of that noise).
    public init(cbfsMLPer100gPerMin: [Double], mttsS: [Double], delaysS: [Double], voxelsPerTile: Int,
                frames: Int = 30, intervalS: Double = 2, noiseHU: Double = 8, aifNoiseHU: Double? = nil, seed: UInt64 = 1) {
        self.cbfsMLPer100gPerMin = cbfsMLPer100gPerMin; self.mttsS = mttsS; self.delaysS = delaysS
        self.voxelsPerTile = voxelsPerTile; self.frames = frames; self.intervalS = intervalS
        self.noiseHU = noiseHU; self.aifNoiseHU = aifNoiseHU ?? noiseHU / 8.0.squareRoot(); self.seed = seed
    }

    /// s from the first frame.
    public var frameTimesS: [Double] { (0..<frames).map { Double($0) * intervalS } }

    /// Every tile's truth, CBF slowest, delay fastest.
    public var truths: [TissueDynamics] {
        cbfsMLPer100gPerMin.flatMap { cbf in
            mttsS.flatMap { mtt in delaysS.map { TissueDynamics(cbfMLPer100gPerMin: cbf, mttS: mtt, delayS: $0) } }
        }
    }

}

/// One tile's truth and the mean and within-tile SD of each estimate over its curves.
public struct GridTile: Sendable, Equatable {
    public let truth: TissueDynamics
    public let mean: CurveEstimate
    /// Sample SD over the tile's curves (precision), same units as the estimates.
    public let sd: CurveEstimate
}

/// Synthesises the grid's curves and runs the maps' deconvolution (`CurveDeconvolution`) on them.
public enum KudoGrid {
    /// Tissue curves (tile by tile, `voxelsPerTile` each) and the AIF, delta HU at the frame times.
    public static func curves(_ design: GridDesign) -> (tissueDeltaHU: [[Double]], aifDeltaHU: [Double]) {
        let times = design.frameTimesS, aif = GammaVariateBolus.arterialInput
        // The venous transit does not enter tissue curves; 6.5 s is the phantom's normal value.
        let bolus = BolusModel(aif: aif, venousTransit: VenousTransit(modeS: 6.5),
                               horizonS: max(times.last ?? 0, aif.peakTimeS) + 1, mttsS: Set(design.mttsS))
        var aifRandom = SeededRandom(seed: design.seed &* 1_000_003 &+ 0xA1F)
        let aifCurve = times.map { aif.deltaHU(atS: $0) + design.aifNoiseHU * aifRandom.normal() }
        var tissue: [[Double]] = []
        tissue.reserveCapacity(design.truths.count * design.voxelsPerTile)
        for (tile, d) in design.truths.enumerated() {
            let clean = times.map { bolus.tissueDeltaHU(d, atS: $0) }
            // One stream per tile, so a tile's noise does not depend on the grid around it.
            var random = SeededRandom(seed: design.seed &* 1_000_003 &+ UInt64(tile) &* 7919)
            for _ in 0..<design.voxelsPerTile {
                tissue.append(clean.map { $0 + design.noiseHU * random.normal() })
            }
        }
        return (tissue, aifCurve)
    }

    /// Estimates of every tile by `method` (the same code as the maps).
    public static func run(_ design: GridDesign, method: DeconvolutionMethod) throws -> [GridTile] {
        let (tissue, aif) = curves(design)
        var options = PerfusionOptions()
        options.deconvolution = method
        let estimates = try CurveDeconvolution.estimate(tissueDeltaHU: tissue, aifDeltaHU: aif,
                                                        frameTimesS: design.frameTimesS, options: options)
        let n = design.voxelsPerTile
        return design.truths.enumerated().map { tile, truth in
            let e = Array(estimates[(tile * n)..<((tile + 1) * n)])
            func summary(_ f: (CurveEstimate) -> Double) -> Double { Statistics.mean(e.map(f)) }
            func spread(_ f: (CurveEstimate) -> Double) -> Double { Statistics.standardDeviation(e.map(f)) }
            return GridTile(
                truth: truth,
                mean: CurveEstimate(cbfMLPer100gPerMin: summary(\.cbfMLPer100gPerMin), cbvMLPer100g: summary(\.cbvMLPer100g),
                                    mttS: summary(\.mttS), tmaxS: summary(\.tmaxS)),
                sd: CurveEstimate(cbfMLPer100gPerMin: spread(\.cbfMLPer100gPerMin), cbvMLPer100g: spread(\.cbvMLPer100g),
                                  mttS: spread(\.mttS), tmaxS: spread(\.tmaxS)))
        }
    }
}

/// The four maps, with their names, units and how to read truth and estimate.
public enum PerfusionParameter: String, Sendable, CaseIterable {
    case cbf = "CBF", cbv = "CBV", mtt = "MTT", tmax = "Tmax"

    public var unit: String {
        switch self {
        case .cbf: "mL/100g/min"
        case .cbv: "mL/100g"
        case .mtt, .tmax: "s"
        }
    }

    public func truth(_ d: TissueDynamics) -> Double {
        switch self {
        case .cbf: d.cbfMLPer100gPerMin
        case .cbv: d.cbvMLPer100g
        case .mtt: d.mttS
        case .tmax: d.delayS
        }
    }

    public func value(_ e: CurveEstimate) -> Double {
        switch self {
        case .cbf: e.cbfMLPer100gPerMin
        case .cbv: e.cbvMLPer100g
        case .mtt: e.mttS
        case .tmax: e.tmaxS
        }
    }
}

/// Accuracy (tile means vs truth) and precision (within-tile SD) of one parameter over a grid.
public struct ParameterSummary: Sendable, Equatable {
    public let parameter: PerfusionParameter
    public let agreement: Agreement
    /// Mean within-tile SD, parameter units.
    public let meanWithinTileSD: Double
    /// Mean within-tile SD / truth x 100 (coefficient of variation) over tiles with truth != 0, %.
    public let meanWithinTileCVPercent: Double

    public init(_ parameter: PerfusionParameter, tiles: [GridTile]) {
        self.parameter = parameter
        agreement = Agreement(truth: tiles.map { parameter.truth($0.truth) }, estimate: tiles.map { parameter.value($0.mean) })
        meanWithinTileSD = Statistics.mean(tiles.map { parameter.value($0.sd) })
        meanWithinTileCVPercent = Statistics.mean(tiles.filter { parameter.truth($0.truth) != 0 }
            .map { 100 * parameter.value($0.sd) / parameter.truth($0.truth) })
    }
}
