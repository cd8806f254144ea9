import Foundation
import Imaging

/// The arterial input function and venous output function, found automatically
/// (DESIGN section 5, AIF / VOF).
struct VascularCurves: Sendable {
    /// Mean measured AIF of `aifVoxels`, delta HU at the frame times.
    let aifMeasured: [Double]
    /// Gamma-variate first pass of the AIF, already multiplied by `partialVolumeScale`.
    let aifModel: GammaVariate
    let aifFitRelativeRMS: Double
    let aifVoxels: [Int]
    /// max(1, VOF area / AIF area): the AIF is scaled up so its area matches the VOF's.
    let partialVolumeScale: Double
    /// Mean measured VOF of `vofVoxels` (empty when no venous voxel was found).
    let vofMeasured: [Double]
    let vofModel: GammaVariate?
    let vofVoxels: [Int]

    var aifMeasuredArea: Double
    var vofMeasuredArea: Double
}

enum ArterialInput {
    /// A vessel candidate enhances by more than this, HU.
    static let minimumPeakHU = 100.0
    /// Best-scoring voxels considered, and at most this many averaged.
    static let consideredAIF = 20, averagedAIF = 8
    /// AIF voxels peak within this of the best voxels' median time to peak, s.
    static let aifTimingToleranceS = 1.5
    /// Venous voxels peak at least this much later than the AIF, s.
    static let venousDelayS = 2.0
    static let averagedVOF = 5

    struct Candidate { let voxel: Int; let curve: [Double]; let features: CurveFeatures }

    /// Raw (unsmoothed) delta HU curve of one analysis voxel.
    static func curve(_ series: PreparedSeries, _ baseline: BaselineInfo, _ v: Int) -> [Double] {
        let n = series.grid.voxelCount
        return (0..<series.nt).map { Double(series.frames[v + n * $0] - baseline.baselineHU[v]) }
    }

    static func find(series: PreparedSeries, baseline: BaselineInfo, intracranial: [Bool], peaks: [Float]) throws -> VascularCurves {
        let times = series.frameTimes
        let candidates: [Candidate] = (0..<series.grid.voxelCount).compactMap { v in
            guard intracranial[v], Double(peaks[v]) > minimumPeakHU else { return nil }
            let c = curve(series, baseline, v)
            return Candidate(voxel: v, curve: c, features: CurveMath.features(c, times: times))
        }
        guard !candidates.isEmpty else {
            throw PerfusionError(.noArterialInput,
                                 "no arterial input found: no voxel inside the skull enhances by more than \(Int(minimumPeakHU)) HU (was contrast injected, and does the series cover the bolus?)")
        }
        // AIF: early, high, narrow: score = peak / (TTP * FWHM) (TTP from the first frame).
        func score(_ c: Candidate) -> Double {
            guard let w = c.features.fwhmS, w > 0 else { return 0 }
            return c.features.peak / (max(c.features.timeToPeakS, 0.5) * w)
        }
        let ranked = candidates.filter { score($0) > 0 }.sorted { score($0) > score($1) }
        guard !ranked.isEmpty else {
            throw PerfusionError(.noArterialInput,
                                 "no arterial input found: no enhancing voxel shows a complete first pass (rise and fall to half its peak)")
        }
        let top = Array(ranked.prefix(consideredAIF))
        let leadTTP = CurveMath.percentile(top.prefix(5).map { $0.features.timeToPeakS }, 50)!
        let topPeak = top.map { $0.features.peak }.max()!
        let chosen = Array(top.filter {
            abs($0.features.timeToPeakS - leadTTP) <= aifTimingToleranceS && $0.features.peak >= 0.5 * topPeak
        }.prefix(averagedAIF))
        let aif = mean(chosen.map { $0.curve })
        guard let aifFit = GammaVariate.fit(aif, times: times) else {
            throw PerfusionError(.noArterialInput, "no arterial input found: the best arterial curve has no positive first pass")
        }
        let aifFeatures = CurveMath.features(aif, times: times)

        // VOF: late, high, largest area (the sinus voxels least affected by partial volume). Ranked by
        // the area of the mean curve of the 8 in-plane neighbours, so the choice does not depend on
        // the voxel's own noise (ranking on its own area would pick voxels whose noise adds area).
        let venous = candidates.filter {
            $0.features.timeToPeakS >= aifFeatures.timeToPeakS + venousDelayS && $0.features.peak > 0.3 * aifFeatures.peak
        }.map { ($0, neighbourhoodArea(series, baseline, $0.voxel)) }.sorted { $0.1 > $1.1 }.map { $0.0 }
        let vofChosen = Array(venous.prefix(averagedVOF))
        let vof = vofChosen.isEmpty ? [] : mean(vofChosen.map { $0.curve })
        let vofArea = vof.isEmpty ? 0 : CurveMath.trapezoid(vof, times: times)
        let scale = max(1, vofArea / max(aifFeatures.area, 1e-9))
        var model = aifFit.model
        model.peak *= scale
        return VascularCurves(aifMeasured: aif, aifModel: model, aifFitRelativeRMS: aifFit.rmsResidual / max(aifFeatures.peak, 1e-9),
                              aifVoxels: chosen.map { $0.voxel }, partialVolumeScale: scale, vofMeasured: vof,
                              vofModel: vof.isEmpty ? nil : GammaVariate.fit(vof, times: times)?.model,
                              vofVoxels: vofChosen.map { $0.voxel }, aifMeasuredArea: aifFeatures.area, vofMeasuredArea: vofArea)
    }

    /// Trapezoid area (HU·s) of the mean delta curve of the 8 in-plane neighbours of v.
    static func neighbourhoodArea(_ series: PreparedSeries, _ baseline: BaselineInfo, _ v: Int) -> Double {
        let g = series.grid, i = v % g.nx, j = (v / g.nx) % g.ny
        var curves: [[Double]] = []
        for dj in -1...1 {
            for di in -1...1 where (di != 0 || dj != 0) && i + di >= 0 && i + di < g.nx && j + dj >= 0 && j + dj < g.ny {
                curves.append(curve(series, baseline, v + di + dj * g.nx))
            }
        }
        return CurveMath.trapezoid(mean(curves), times: series.frameTimes)
    }

    static func mean(_ curves: [[Double]]) -> [Double] {
        guard let first = curves.first else { return [] }
        var s = [Double](repeating: 0, count: first.count)
        for c in curves { for i in s.indices { s[i] += c[i] } }
        return s.map { $0 / Double(curves.count) }
    }
}
