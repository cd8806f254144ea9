import Foundation
import Imaging

/// CBF, CBV, MTT and Tmax of one tissue curve, as the maps would hold them.
public struct CurveEstimate: Sendable, Equatable {
    /// mL/100g/min
    public var cbfMLPer100gPerMin: Double
    /// mL/100g
    public var cbvMLPer100g: Double
    /// s
    public var mttS: Double
    /// s, relative to the arterial input
    public var tmaxS: Double

    public init(cbfMLPer100gPerMin: Double, cbvMLPer100g: Double, mttS: Double, tmaxS: Double) {
        self.cbfMLPer100gPerMin = cbfMLPer100gPerMin; self.cbvMLPer100g = cbvMLPer100g
        self.mttS = mttS; self.tmaxS = tmaxS
    }
}

/// The deconvolution step of `PerfusionAnalysis` on bare curves, for validation against digital
/// phantoms (Kudo et al., Radiology 2013;267:201): the same residue table, fit and map formulas
/// (`ResidueTable`, `ParametricFit`, `Maps.fromFit`; or `CirculantDeconvolution` via
/// `Maps.fromSVD`), with every frame weighted 1 (no motion) and no spatial smoothing (there is
/// no neighbourhood). The AIF is prepared as the analysis prepares it: the parametric fit uses
/// its gamma-variate first pass (`GammaVariate.fit`), block-circulant SVD the sampled curve;
/// no partial-volume scaling (the caller gives the AIF it means).
public enum CurveDeconvolution {
    /// tissueDeltaHU: one curve per row, delta HU at `frameTimesS` (s from the first frame,
    /// strictly increasing); aifDeltaHU: the arterial input at the same times, delta HU.
    /// Returns one estimate per row, in order. Throws `PerfusionError` for mismatched lengths,
    /// too few frames or an AIF without a first pass.
    public static func estimate(tissueDeltaHU: [[Double]], aifDeltaHU: [Double], frameTimesS: [Double],
                                options: PerfusionOptions) throws -> [CurveEstimate] {
        let nt = frameTimesS.count
        guard nt >= PerfusionAnalysis.minimumFrames else {
            throw PerfusionError(.tooFewTimePoints, "\(nt) time points: deconvolution needs at least \(PerfusionAnalysis.minimumFrames)")
        }
        for n in 1..<nt where !(frameTimesS[n] > frameTimesS[n - 1]) {
            throw PerfusionError(.invalidInput, "frame times must increase strictly: frame \(n) at \(frameTimesS[n]) s follows \(frameTimesS[n - 1]) s")
        }
        guard aifDeltaHU.count == nt else {
            throw PerfusionError(.invalidInput, "the AIF has \(aifDeltaHU.count) samples for \(nt) frame times")
        }
        if let bad = tissueDeltaHU.firstIndex(where: { $0.count != nt }) {
            throw PerfusionError(.invalidInput, "tissue curve \(bad) has \(tissueDeltaHU[bad].count) samples for \(nt) frame times")
        }
        guard !tissueDeltaHU.isEmpty else { return [] }

        // The curves as the analysis holds them: one row per "voxel" of a 1-row grid.
        let count = tissueDeltaHU.count, stride = CurveSet.stride(for: nt)
        var values = [Float](repeating: 0, count: count * stride)
        for (r, curve) in tissueDeltaHU.enumerated() {
            for n in 0..<nt { values[r * stride + n] = Float(curve[n]) }
        }
        let curves = CurveSet(voxels: (0..<count).map { Int32($0) }, nt: nt, stride: stride, values: values)
        let grid = Grid(nx: count, ny: 1, nz: 1, affineLPS: .identity)

        let maps: AnalysisMaps
        switch options.deconvolution {
        case .parametric:
            guard let aif = GammaVariate.fit(aifDeltaHU, times: frameTimesS) else {
                throw PerfusionError(.noArterialInput, "the arterial input has no positive first pass")
            }
            let weights = PerfusionAnalysis.frameWeights(displacementsMM: [Double](repeating: 0, count: nt))
            let table = ResidueTable(aif: aif.model, times: frameTimesS, frameWeights: weights)
            let estimates = ParametricFit(table: table).fitAll(curves)
            maps = Maps.fromFit(estimates, curves: curves, times: frameTimesS, grid: grid, options: options)
        case .blockCirculantSVD:
            maps = Maps.fromSVD(curves: curves, times: frameTimesS, aif: aifDeltaHU, grid: grid, options: options)
        }
        return (0..<count).map {
            CurveEstimate(cbfMLPer100gPerMin: Double(maps.cbf[$0]), cbvMLPer100g: Double(maps.cbv[$0]),
                          mttS: Double(maps.mtt[$0]), tmaxS: Double(maps.tmax[$0]))
        }
    }
}
