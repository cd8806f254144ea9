import Foundation

/// Model tissue curves of the delayed exponential residue on a grid of (MTT, delay), sampled at
/// the frame times (so variable sampling needs no resampling of the data):
///   g(t; MTT, delay) = ∫ AIF(τ) exp(-(t - delay - τ) / MTT) dτ   [HU·s]
/// and a tissue curve is C(t) = b + A * g(t; MTT, delay) with A = (rho/kH) * CBF / 6000 [1/s]
/// (DESIGN section 5; the indicator-dilution model of Østergaard et al. 1996).
/// The AIF is continuous (a gamma variate), convolved exactly for piecewise-linear sampling on
/// a 0.05 s grid. Frames carry weights w_n (1, or less for frames moved by head motion); the
/// table holds what the weighted least-squares fit needs per node.
struct ResidueTable: Sendable {
    let mttsS: [Double]
    let delaysS: [Double]
    let nt: Int
    let stride: Int
    /// w_n * g_n for node (m, d) at weighted[(m * delays + d) * stride + n]; zero padding.
    let weighted: [Float]
    /// Σ w g per node.
    let sums: [Float]
    /// 1 / (Σ w g^2 - (Σ w g)^2 / Σ w) per node (0 for a curve flat within the scan).
    let inverseVariances: [Float]
    /// The coarse search works in the 8-dimensional subspace that holds nearly all of the model
    /// curves (the leading eigenvectors of Σ g_w g_w^T; 99.99 % of their energy): the basis
    /// (8 rows of `stride`, zero padded) and every node's coordinates in it.
    let coarseBasis: [Float]
    let projected: [SIMD8<Float>]
    /// Frame weights (padded with 0), their sum and their inverses (padded with 0).
    let weights: [Float]
    let weightSum: Float
    let inverseWeights: [Float]

    /// MTT grid: geometric from `mttMinS` to `mttMaxS` with ratio `mttRatio`.
    static let mttMinS = 1.0, mttMaxS = 25.0, mttRatio = 1.08
    /// Delay grid: `delayMinS` ... `delayMaxS` in steps of `delayStepS`.
    static let delayMinS = -3.0, delayMaxS = 25.0, delayStepS = 0.25
    static let fineStepS = 0.05

    var delayCount: Int { delaysS.count }
    var mttCount: Int { mttsS.count }

    static var defaultMTTs: [Double] {
        var mtts: [Double] = []
        var m = mttMinS
        while m <= mttMaxS * 1.0001 { mtts.append(m); m *= mttRatio }
        return mtts
    }

    static var defaultDelays: [Double] {
        (0...Int(((delayMaxS - delayMinS) / delayStepS).rounded())).map { delayMinS + Double($0) * delayStepS }
    }

    init(aif: GammaVariate, times: [Double], frameWeights: [Double]? = nil,
         mttsS: [Double] = Self.defaultMTTs, delaysS: [Double] = Self.defaultDelays) {
        precondition(frameWeights == nil || frameWeights!.count == times.count)
        self.mttsS = mttsS
        self.delaysS = delaysS
        nt = times.count
        stride = CurveSet.stride(for: nt)
        let w = frameWeights ?? [Double](repeating: 1, count: nt)
        let h = Self.fineStepS
        let tEnd = (times.last ?? 0) - (delaysS.first ?? 0) + 1
        let fineCount = Int((tEnd / h).rounded(.up)) + 2
        let input = (0..<fineCount).map { aif.value(atS: Double($0) * h) }
        let nodes = mttsS.count * delaysS.count
        let wSum = w.reduce(0, +)
        var weighted = [Float](repeating: 0, count: nodes * stride)
        var sums = [Float](repeating: 0, count: nodes), inverse = sums
        for (mi, mtt) in mttsS.enumerated() {
            let conv = Self.convolveExponential(input, stepS: h, timeConstantS: mtt)
            for (di, delay) in delaysS.enumerated() {
                let node = mi * delaysS.count + di
                var s = 0.0, ss = 0.0
                for (n, t) in times.enumerated() {
                    let x = (t - delay) / h
                    var g = 0.0
                    if x > 0 {
                        let i = Int(x)
                        g = i + 1 < fineCount ? conv[i] + (conv[i + 1] - conv[i]) * (x - Double(i)) : conv[fineCount - 1]
                    }
                    weighted[node * stride + n] = Float(w[n] * g)
                    s += w[n] * g; ss += w[n] * g * g
                }
                let variance = ss - s * s / wSum
                sums[node] = Float(s)
                inverse[node] = variance > 1e-9 * max(ss, 1e-30) ? Float(1 / variance) : 0
            }
        }
        // Subspace of the model curves for the coarse search.
        var gram = [Double](repeating: 0, count: nt * nt)
        for node in 0..<nodes {
            let row = node * stride
            for a in 0..<nt {
                let ga = Double(weighted[row + a])
                guard ga != 0 else { continue }
                for b in a..<nt { gram[a * nt + b] += ga * Double(weighted[row + b]) }
            }
        }
        for a in 0..<nt { for b in 0..<a { gram[a * nt + b] = gram[b * nt + a] } }
        let vectors = SymmetricEigen.decompose(gram, size: nt).vectors
        var basis = [Float](repeating: 0, count: 8 * stride)
        for c in 0..<min(8, nt) { for n in 0..<nt { basis[c * stride + n] = Float(vectors[c][n]) } }
        var coordinates = [SIMD8<Float>](repeating: .zero, count: nodes)
        for node in 0..<nodes {
            for c in 0..<8 {
                var s: Float = 0
                for n in 0..<nt { s += basis[c * stride + n] * weighted[node * stride + n] }
                coordinates[node][c] = s
            }
        }
        projected = coordinates
        coarseBasis = basis
        self.weighted = weighted
        self.sums = sums
        inverseVariances = inverse
        let padding = [Float](repeating: 0, count: stride - nt)
        weights = w.map(Float.init) + padding
        weightSum = Float(wSum)
        inverseWeights = w.map { Float(1 / $0) } + padding
    }

    /// y(t) = ∫ x(τ) exp(-(t - τ)/T) dτ, exact for x linear between grid points (recursive).
    static func convolveExponential(_ x: [Double], stepS h: Double, timeConstantS T: Double) -> [Double] {
        let e = exp(-h / T)
        let i0 = T * (1 - e)                  // ∫0^h exp(-(h-s)/T) ds
        let i1 = h * T - T * T * (1 - e)      // ∫0^h s exp(-(h-s)/T) ds
        let w1 = i1 / h, w0 = i0 - w1
        var y = [Double](repeating: 0, count: x.count)
        for n in 0..<(x.count - 1) { y[n + 1] = e * y[n] + w0 * x[n] + w1 * x[n + 1] }
        return y
    }
}
