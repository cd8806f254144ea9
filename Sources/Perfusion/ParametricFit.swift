import Foundation

/// Per-voxel fit of the delayed exponential residue: C(t) = b + A * g(t; MTT, delay) by least
/// squares (`ResidueTable`). For each (MTT, delay) node the amplitude A >= 0 and the baseline
/// offset b are solved in closed form (variable projection, Golub & Pereyra 1973), so the search
/// is only over the two nonlinear parameters: a coarse grid over the whole range (global: no
/// initialisation to get stuck in; scored in the model curves' 8-dimensional subspace), a fine
/// local grid and a hill climb with exact scores, then a quadratic refinement between nodes. The delay is a free parameter, so the estimate does not
/// depend on tracer arrival (delay-insensitive, DESIGN section 5), and the residue peaks at the
/// delay, so Tmax = delay.
///
/// Frames moved by head motion get less weight (`ResidueTable` frame weights): weighted least
/// squares with weights w_n, the baseline regressor being the constant.
///
/// The baseline offset is free because the pre-bolus mean of a few frames is noisy (its error
/// times the scan length is comparable to the whole grey-matter curve area); the fit estimates it
/// from every frame where the model is near zero.
struct ParametricFit: Sendable {
    struct Estimate: Sendable, Equatable {
        /// A, 1/s (0 when the curve does not enhance).
        var amplitudePerS: Float
        var mttS: Float
        /// = Tmax, s relative to the AIF.
        var delayS: Float
        /// b, HU.
        var offsetHU: Float
    }

    let table: ResidueTable
    /// Coarse grid steps (in fine-grid nodes).
    static let coarseMTTStep = 3, coarseDelayStep = 4

    init(table: ResidueTable) { self.table = table }

    /// Fits one curve of `table.nt` samples (padded to `table.stride` with zeros).
    func fit(_ y: UnsafePointer<Float>) -> Estimate {
        let t = table, nt = t.nt, blocks = t.stride / 8
        var sy: Float = 0
        for n in 0..<nt { sy += t.weights[n] * y[n] }
        // Weighted mean of the curve: the baseline regressor's share.
        let meanY = sy / t.weightSum
        return t.weighted.withUnsafeBufferPointer { g in
            t.sums.withUnsafeBufferPointer { sums in
                t.inverseVariances.withUnsafeBufferPointer { inv in
                    let base = g.baseAddress!
                    // Explained sum of squares of node (m, d), or -1 if A would be <= 0.
                    @inline(__always) func score(_ m: Int, _ d: Int) -> Float {
                        let node = m * t.delayCount + d
                        let c = Self.dot(y, base + node * t.stride, blocks) - sums[node] * meanY
                        return c > 0 ? c * c * inv[node] : -1
                    }
                    // Coarse search in the model subspace (`ResidueTable.coarseBasis`).
                    var projection = SIMD8<Float>()
                    t.coarseBasis.withUnsafeBufferPointer { b in
                        for c in 0..<8 { projection[c] = Self.dot(y, b.baseAddress! + c * t.stride, blocks) }
                    }
                    var bestM = 0, bestD = 0, best: Float = -2
                    t.projected.withUnsafeBufferPointer { p in
                        for m in Swift.stride(from: Self.coarseMTTStep / 2, to: t.mttCount, by: Self.coarseMTTStep) {
                            for d in Swift.stride(from: 0, to: t.delayCount, by: Self.coarseDelayStep) {
                                let node = m * t.delayCount + d
                                let c = (projection * p[node]).sum() - sums[node] * meanY
                                let s = c > 0 ? c * c * inv[node] : -1
                                if s > best { best = s; bestM = m; bestD = d }
                            }
                        }
                    }
                    guard best > 0 else {
                        return Estimate(amplitudePerS: 0, mttS: 0, delayS: Float(t.delaysS[t.delayCount - 1]), offsetHU: meanY)
                    }
                    // Fine neighbourhood of the coarse optimum (exact scores), then climb to a local maximum.
                    let cm = bestM, cd = bestD
                    best = -2
                    for m in max(0, cm - Self.coarseMTTStep)...min(t.mttCount - 1, cm + Self.coarseMTTStep) {
                        for d in max(0, cd - Self.coarseDelayStep)...min(t.delayCount - 1, cd + Self.coarseDelayStep) {
                            let s = score(m, d)
                            if s > best { best = s; bestM = m; bestD = d }
                        }
                    }
                    var moved = true, steps = 0
                    while moved && steps < 64 {
                        moved = false; steps += 1
                        let m0 = bestM, d0 = bestD
                        for m in max(0, m0 - 1)...min(t.mttCount - 1, m0 + 1) {
                            for d in max(0, d0 - 1)...min(t.delayCount - 1, d0 + 1) where m != m0 || d != d0 {
                                let s = score(m, d)
                                if s > best { best = s; bestM = m; bestD = d; moved = true }
                            }
                        }
                    }
                    // Sub-node refinement: quadratic fit of the score over the 3 x 3 neighbourhood
                    // (with the cross term, because MTT and delay trade off along a diagonal valley).
                    let interiorM = bestM > 0 && bestM < t.mttCount - 1
                    let interiorD = bestD > 0 && bestD < t.delayCount - 1
                    var x: Float = 0, z: Float = 0   // offsets in MTT and delay nodes
                    if interiorM && interiorD {
                        var q = [Float](repeating: 0, count: 9)
                        for a in -1...1 { for b in -1...1 { q[(a + 1) * 3 + b + 1] = max(0, score(bestM + a, bestD + b)) } }
                        (x, z) = Self.quadraticPeak(q)
                    } else if interiorD {
                        z = Self.parabolaPeak(max(0, score(bestM, bestD - 1)), best, max(0, score(bestM, bestD + 1)))
                    } else if interiorM {
                        x = Self.parabolaPeak(max(0, score(bestM - 1, bestD)), best, max(0, score(bestM + 1, bestD)))
                    }
                    // Model curve at the refined point: bilinear between the surrounding nodes.
                    let m0 = x < 0 ? bestM - 1 : bestM, d0 = z < 0 ? bestD - 1 : bestD
                    let wx = x < 0 ? 1 + x : x, wz = z < 0 ? 1 + z : z
                    let m1 = min(m0 + 1, t.mttCount - 1), d1 = min(d0 + 1, t.delayCount - 1)
                    let nodes = [(m0, d0, (1 - wx) * (1 - wz)), (m1, d0, wx * (1 - wz)), (m0, d1, (1 - wx) * wz), (m1, d1, wx * wz)]
                    // gv = w_n * g_n at the refined point.
                    var dotG: Float = 0, sumG: Float = 0, sumGG: Float = 0
                    for n in 0..<nt {
                        var gv: Float = 0
                        for (m, d, w) in nodes where w != 0 { gv += w * base[(m * t.delayCount + d) * t.stride + n] }
                        dotG += gv * y[n]; sumG += gv; sumGG += gv * gv * t.inverseWeights[n]
                    }
                    let denominator = sumGG - sumG * sumG / t.weightSum
                    let covariance = dotG - sumG * meanY
                    guard denominator > 0, covariance > 0 else {
                        return Estimate(amplitudePerS: 0, mttS: 0, delayS: Float(t.delaysS[t.delayCount - 1]), offsetHU: meanY)
                    }
                    let amplitude = covariance / denominator
                    let mtt = Float(t.mttsS[bestM] * pow(ResidueTable.mttRatio, Double(x)))
                    let delay = Float(t.delaysS[bestD]) + z * Float(ResidueTable.delayStepS)
                    return Estimate(amplitudePerS: amplitude, mttS: mtt, delayS: delay,
                                    offsetHU: meanY - amplitude * sumG / t.weightSum)
                }
            }
        }
    }

    /// Vertex of the parabola through (-1, a), (0, b), (1, c), clamped to [-0.5, 0.5].
    static func parabolaPeak(_ a: Float, _ b: Float, _ c: Float) -> Float {
        let den = a - 2 * b + c
        guard den < 0 else { return 0 }
        return max(-0.5, min(0.5, 0.5 * (a - c) / den))
    }

    /// Maximum of the least-squares quadratic through a 3 x 3 grid of values q[(x + 1) * 3 + (z + 1)],
    /// x, z in {-1, 0, 1}; clamped to [-1, 1]; falls back to axis-wise parabolas when not concave.
    static func quadraticPeak(_ q: [Float]) -> (Float, Float) {
        func v(_ x: Int, _ z: Int) -> Float { q[(x + 1) * 3 + z + 1] }
        var cx: Float = 0, cz: Float = 0, cxx: Float = 0, czz: Float = 0
        for k in -1...1 {
            cx += (v(1, k) - v(-1, k)) / 6
            cz += (v(k, 1) - v(k, -1)) / 6
            cxx += ((v(1, k) + v(-1, k)) / 2 - v(0, k)) / 3
            czz += ((v(k, 1) + v(k, -1)) / 2 - v(k, 0)) / 3
        }
        let cxz = (v(1, 1) - v(1, -1) - v(-1, 1) + v(-1, -1)) / 4
        // Gradient zero: [2cxx cxz; cxz 2czz] [x z]' = -[cx cz]'.
        let det = 4 * cxx * czz - cxz * cxz
        guard cxx < 0, czz < 0, det > 0 else {
            return (parabolaPeak(v(-1, 0), v(0, 0), v(1, 0)), parabolaPeak(v(0, -1), v(0, 0), v(0, 1)))
        }
        let x = (-cx * 2 * czz + cz * cxz) / det
        let z = (-cz * 2 * cxx + cx * cxz) / det
        return (max(-1, min(1, x)), max(-1, min(1, z)))
    }

    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ blocks: Int) -> Float {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var acc = SIMD8<Float>()
        for k in 0..<blocks {
            acc += ra.loadUnaligned(fromByteOffset: k * 32, as: SIMD8<Float>.self)
                * rb.loadUnaligned(fromByteOffset: k * 32, as: SIMD8<Float>.self)
        }
        return acc.sum()
    }

    /// Fits every curve of a set on all cores; progress(fraction < 1) as blocks of curves finish,
    /// from the computing threads.
    func fitAll(_ curves: CurveSet, progress: @Sendable (Double) -> Void = { _ in }) -> [Estimate] {
        guard curves.count > 0 else { return [] }
        precondition(curves.stride == table.stride && curves.nt == table.nt)
        let stride = curves.stride, count = curves.count
        let done = ProgressCounter()
        return curves.values.withSharedReadPointer { src in
            Parallel.build(count) { range, out in
                for r in range { out[r] = fit(src.base + r * stride) }
                done.add(range.count, of: count, report: progress)
            }
        }
    }
}

/// Completed work items across threads, reported as a fraction below 1 (the caller reports 1).
/// `@unchecked Sendable` is safe because `completed` is only touched under `lock`.
final class ProgressCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var completed = 0

    func add(_ items: Int, of total: Int, report: (Double) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        completed += items
        report(min(0.99, Double(completed) / Double(max(total, 1))))
    }
}
