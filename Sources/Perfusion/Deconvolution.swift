import Foundation

/// Block-circulant truncated-SVD deconvolution (Wu et al., MRM 2003;50:164), the textbook
/// delay-insensitive method. Curves are resampled to a uniform grid of step `stepS` and
/// zero-padded to N >= 2L; the circulant AIF matrix D (D_ij = stepS * a_((i-j) mod N)) is normal,
/// so its singular values are |λ_k| with λ = stepS * DFT(a), and the truncated pseudo-inverse
/// is a Fourier filter that drops every component with |λ_k| < P * max|λ|. P is the smallest
/// of `thresholds` whose residue has an oscillation index below `maxOscillationIndex`.
struct CirculantDeconvolution: Sendable {
    let stepS: Double
    /// Samples of the uniform grid (from the first frame to the last).
    let length: Int
    private let fft: FFT
    private let lambdaRe: [Double], lambdaIm: [Double]
    private let lambdaMax: Double

    /// Truncation thresholds tried, ascending (fractions of the largest singular value).
    static let thresholds = [0.02, 0.04, 0.06, 0.08, 0.1, 0.12, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5]
    /// Wu et al.'s oscillation index limit.
    static let maxOscillationIndex = 0.035

    /// aif: delta HU on the uniform grid t = n * stepS (n < length).
    init(aif: [Double], stepS: Double) {
        self.stepS = stepS
        length = aif.count
        let n = FFT.length(atLeast: 2 * aif.count)
        fft = FFT(count: n)
        var re = aif.map { $0 * stepS } + [Double](repeating: 0, count: n - aif.count)
        var im = [Double](repeating: 0, count: n)
        fft.transform(&re, &im)
        lambdaRe = re; lambdaIm = im
        lambdaMax = zip(re, im).map { ($0 * $0 + $1 * $1).squareRoot() }.max() ?? 0
    }

    /// Residue k (1/s) on the uniform grid for a fixed threshold P.
    func deconvolve(_ curve: [Double], threshold: Double) -> [Double] {
        deconvolveSpectrum(spectrum(curve), threshold: threshold)
    }

    /// Residue with the threshold chosen by the oscillation index, and the threshold used.
    func deconvolveAdaptive(_ curve: [Double]) -> (residue: [Double], threshold: Double) {
        let s = spectrum(curve)
        var last: [Double] = []
        for p in Self.thresholds {
            last = deconvolveSpectrum(s, threshold: p)
            if Self.oscillationIndex(last) <= Self.maxOscillationIndex { return (last, p) }
        }
        return (last, Self.thresholds[Self.thresholds.count - 1])
    }

    /// OI = (1 / (L * max k)) Σ_{n>=2} |k_n - 2 k_(n-1) + k_(n-2)| (Wu et al. 2003, eq. 7).
    static func oscillationIndex(_ k: [Double]) -> Double {
        guard k.count > 2, let m = k.max(), m > 0 else { return .infinity }
        var s = 0.0
        for n in 2..<k.count { s += abs(k[n] - 2 * k[n - 1] + k[n - 2]) }
        return s / (Double(k.count) * m)
    }

    /// Time of the maximum of a residue on this grid (parabolic sub-sample refinement), s.
    func peakTimeS(_ k: [Double]) -> Double {
        guard let n = k.indices.max(by: { k[$0] < k[$1] }) else { return 0 }
        guard n > 0 && n < k.count - 1 else { return Double(n) * stepS }
        let a = k[n - 1], b = k[n], c = k[n + 1], d = a - 2 * b + c
        return (Double(n) + (d < 0 ? 0.5 * (a - c) / d : 0)) * stepS
    }

    private func spectrum(_ curve: [Double]) -> ([Double], [Double]) {
        var re = Array(curve.prefix(length)) + [Double](repeating: 0, count: fft.count - min(length, curve.count))
        var im = [Double](repeating: 0, count: fft.count)
        fft.transform(&re, &im)
        return (re, im)
    }

    private func deconvolveSpectrum(_ s: ([Double], [Double]), threshold: Double) -> [Double] {
        let limit = threshold * lambdaMax
        var re = [Double](repeating: 0, count: fft.count), im = re
        for k in 0..<fft.count {
            let lr = lambdaRe[k], li = lambdaIm[k]
            let m2 = lr * lr + li * li
            guard m2.squareRoot() >= limit, m2 > 0 else { continue }
            // C / λ = C * conj(λ) / |λ|^2
            re[k] = (s.0[k] * lr + s.1[k] * li) / m2
            im[k] = (s.1[k] * lr - s.0[k] * li) / m2
        }
        fft.transform(&re, &im, inverse: true)
        return Array(re.prefix(length))
    }

    /// Samples (times, y) on the uniform grid n * stepS, n < count (linear interpolation).
    static func resample(_ y: [Double], times: [Double], stepS: Double, count: Int) -> [Double] {
        (0..<count).map { CurveMath.interpolate(y, times: times, at: times[0] + Double($0) * stepS) }
    }
}
