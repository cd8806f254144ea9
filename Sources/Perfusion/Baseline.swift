import Foundation
import Imaging

/// Bolus arrival, pre-bolus baseline and the concentration curves (delta HU) of the brain
/// (DESIGN section 5, baseline).
struct BaselineInfo: Sendable {
    /// Frames averaged for the baseline (the pre-bolus frames).
    let frames: Range<Int>
    /// Time (s) the vascular curve first reaches 10 % of its peak enhancement.
    let bolusArrivalS: Double
    /// Peak enhancement of the whole-brain mean curve, HU.
    let brainPeakDeltaHU: Double
    /// Whole-brain mean curve, delta HU.
    let brainCurve: [Double]
    /// Per analysis voxel: mean HU of the baseline frames.
    let baselineHU: [Float]
}

/// Concentration curves of a set of voxels, voxel-major with a padded time stride
/// (row r holds voxel `voxels[r]` at values[r * stride ..< r * stride + nt]; padding is 0).
struct CurveSet: Sendable {
    let voxels: [Int32]
    let nt: Int
    let stride: Int
    var values: [Float]

    var count: Int { voxels.count }
    static func stride(for nt: Int) -> Int { (nt + 7) / 8 * 8 }
}

enum Baseline {
    /// The bolus "arrives" when the vascular curve reaches this fraction of its peak; frames at
    /// least `marginS` before that are baseline (the arterial curve's foot starts earlier).
    static let arrivalFraction = 0.1
    static let marginS = 2.0
    /// Vessels: peak (3-frame running mean) delta HU above max(this, `vesselPeakFactor` x the
    /// median brain peak).
    static let vesselMinimumPeakHU: Float = 40
    static let vesselPeakFactor: Float = 3

    /// The bolus arrival is detected on the mean curve of the most-enhancing intracranial voxels
    /// (arteries and sinuses: the first to rise), this many of them at least (or 0.1 %).
    static let vascularVoxels = 50

    static func detect(series: PreparedSeries, candidate: [Bool], intracranial: [Bool]) -> BaselineInfo {
        let n = series.grid.voxelCount, nt = series.nt, times = series.frameTimes
        let head = min(2, nt)
        func meanCurve(_ members: [Int]) -> [Double] {
            (0..<nt).map { t in
                var s = 0.0
                for v in members { s += Double(series.frames[v + n * t]) }
                return members.isEmpty ? 0 : s / Double(members.count)
            }
        }
        // Enhancement over the first frames of every intracranial voxel; the strongest define arrival.
        let inside = (0..<n).filter { intracranial[$0] }
        let enhancement: [(Int, Float)] = inside.map { v in
            var first: Float = 0, peak = -Float.infinity
            for t in 0..<head { first += series.frames[v + n * t] }
            for t in 0..<nt { peak = max(peak, series.frames[v + n * t]) }
            return (v, peak - first / Float(head))
        }
        let count = max(vascularVoxels, inside.count / 1000)
        let vascular = enhancement.sorted { $0.1 > $1.1 }.prefix(count).map { $0.0 }
        let vascularCurve = meanCurve(vascular)
        let v0 = vascularCurve[0..<head].reduce(0, +) / Double(head)
        let delta = vascularCurve.map { $0 - v0 }
        let peak = delta.max() ?? 0
        var arrival = times[0]
        if peak > 0, let n1 = delta.firstIndex(where: { $0 >= arrivalFraction * peak }), n1 > 0 {
            let a = delta[n1 - 1], b = delta[n1], level = arrivalFraction * peak
            arrival = times[n1 - 1] + (times[n1] - times[n1 - 1]) * (level - a) / max(b - a, 1e-9)
        }
        let last = times.lastIndex(where: { $0 <= arrival - marginS }) ?? 0
        let frames = 0..<(last + 1)
        let frameCount = Float(frames.count)
        let baseline: [Float] = series.frames.withSharedReadPointer { src in
            Parallel.build(n) { range, out in
                for v in range {
                    var s: Float = 0
                    for t in frames { s += src[v + n * t] }
                    out[v] = s / frameCount
                }
            }
        }
        let brain = meanCurve((0..<n).filter { candidate[$0] })
        let b0 = frames.map { brain[$0] }.reduce(0, +) / Double(frames.count)
        let brainDelta = brain.map { $0 - b0 }
        return BaselineInfo(frames: frames, bolusArrivalS: arrival, brainPeakDeltaHU: brainDelta.max() ?? 0,
                            brainCurve: brainDelta, baselineHU: baseline)
    }

    /// Peak of the 3-frame running mean of delta HU for every voxel where `mask` is set (0 elsewhere).
    static func runningPeak(series: PreparedSeries, baseline: BaselineInfo, mask: [Bool]) -> [Float] {
        let n = series.grid.voxelCount, nt = series.nt
        return series.frames.withSharedReadPointer { src in
            baseline.baselineHU.withSharedReadPointer { base in
                mask.withSharedReadPointer { m in
                    Parallel.build(n) { range, out in
                        for v in range {
                            guard m[v] else { out[v] = 0; continue }
                            var best = -Float.infinity
                            for t in 0..<nt {
                                let a = src[v + n * max(0, t - 1)], b = src[v + n * t], c = src[v + n * min(nt - 1, t + 1)]
                                best = max(best, (a + b + c) / 3)
                            }
                            out[v] = best - base[v]
                        }
                    }
                }
            }
        }
    }

    /// Vessels among the candidate brain voxels (see `vesselMinimumPeakHU`).
    static func vesselMask(peaks: [Float], candidate: [Bool]) -> [Bool] {
        var brainPeaks = zip(peaks, candidate).compactMap { $1 ? $0 : nil }
        guard !brainPeaks.isEmpty else { return candidate.map { _ in false } }
        brainPeaks.sort()
        let threshold = max(vesselMinimumPeakHU, vesselPeakFactor * brainPeaks[brainPeaks.count / 2])
        return zip(peaks, candidate).map { $1 && $0 > threshold }
    }

    /// Delta HU curves of the voxels where `mask` is set, voxel-major.
    static func curves(series: PreparedSeries, baseline: BaselineInfo, mask: [Bool]) -> CurveSet {
        let n = series.grid.voxelCount, nt = series.nt, stride = CurveSet.stride(for: nt)
        let voxels = (0..<n).compactMap { mask[$0] ? Int32($0) : nil }
        guard !voxels.isEmpty else { return CurveSet(voxels: [], nt: nt, stride: stride, values: []) }
        let values: [Float] = series.frames.withSharedReadPointer { src in
            baseline.baselineHU.withSharedReadPointer { base in
                voxels.withSharedReadPointer { vox in
                    Parallel.build(voxels.count * stride) { range, out in
                        for e in range {
                            let r = e / stride, t = e % stride
                            let v = Int(vox[r])
                            out[e] = t < nt ? src[v + n * t] - base[v] : 0
                        }
                    }
                }
            }
        }
        return CurveSet(voxels: voxels, nt: nt, stride: stride, values: values)
    }
}
