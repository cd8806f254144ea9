import Foundation
import Testing
@testable import Perfusion

/// Block-circulant SVD and its pieces: hand-checkable cases and round trips.
@Suite struct DeconvolutionTests {
    @Test func fftOfAnImpulseIsFlatAndRoundTrips() {
        let fft = FFT(count: 8)
        var re: [Double] = [1, 0, 0, 0, 0, 0, 0, 0], im = [Double](repeating: 0, count: 8)
        fft.transform(&re, &im)
        #expect(re.allSatisfy { abs($0 - 1) < 1e-12 } && im.allSatisfy { abs($0) < 1e-12 })
        // A cosine of frequency 1 puts N/2 into bins 1 and N-1.
        var c = (0..<8).map { cos(2 * Double.pi * Double($0) / 8) }, ci = [Double](repeating: 0, count: 8)
        fft.transform(&c, &ci)
        #expect(abs(c[1] - 4) < 1e-12 && abs(c[7] - 4) < 1e-12 && abs(c[0]) < 1e-12)
        fft.transform(&c, &ci, inverse: true)
        for n in 0..<8 { #expect(abs(c[n] - cos(2 * Double.pi * Double(n) / 8)) < 1e-12) }
        #expect(FFT.length(atLeast: 60) == 64 && FFT.length(atLeast: 64) == 64)
    }

    /// OI = (1/(L max k)) Σ |k_n - 2k_(n-1) + k_(n-2)|: for k = (0, 1, 0, 1) the second
    /// differences are -2 and 2, so OI = 4 / (4 * 1) = 1; a straight line has OI 0.
    @Test func oscillationIndexByHand() {
        #expect(CirculantDeconvolution.oscillationIndex([0, 1, 0, 1]) == 1)
        #expect(CirculantDeconvolution.oscillationIndex([4, 3, 2, 1]) == 0)
    }

    /// deconvolve(convolve(aif, r)) ≈ r for a noiseless delayed exponential residue. The
    /// truncation cannot restore the residue's jump at the delay (the smooth AIF has almost no
    /// high frequencies), so the comparison starts 2 s after it; the area (∝ CBV) is kept.
    @Test(arguments: [0.0, 5.0])
    func roundTrip(delayS: Double) {
        let step = 0.5, length = 120
        let aifModel = GammaVariate(arrivalS: 7, riseS: 7.5, alpha: 3, peak: 350)
        let aif = (0..<length).map { aifModel.value(atS: Double($0) * step) }
        let residue = (0..<length).map { n -> Double in
            let t = Double(n) * step
            return t < delayS ? 0 : 0.01 * exp(-(t - delayS) / 4)
        }
        // c = step * Σ aif(m) r(n - m): the discrete convolution the circulant matrix inverts.
        let curve = (0..<length).map { n in (0...n).reduce(0.0) { $0 + step * aif[$1] * residue[n - $1] } }
        let d = CirculantDeconvolution(aif: aif, stepS: step)
        let k = d.deconvolve(curve, threshold: 0.001)
        let start = Int((delayS + 2) / step), end = Int((delayS + 20) / step)
        var squares = 0.0
        for n in start..<end { squares += (k[n] - residue[n]) * (k[n] - residue[n]) }
        let rms = (squares / Double(end - start)).squareRoot()
        #expect(rms < 0.03 * 0.01, "RMS error \(rms)")
        let areaRatio: Double = k.reduce(0, +) / residue.reduce(0, +)
        #expect(abs(areaRatio - 1) < 0.05)   // a little of the ringing at the jump wraps around the circulant
        #expect(abs(d.peakTimeS(k) - delayS) < 1.0)
        // The oscillation-index threshold smooths more: max k (∝ CBF) reads ~30 % low even
        // without noise, and later (DESIGN section 5, known limits of the textbook method).
        let adaptive = d.deconvolveAdaptive(curve)
        let ratio = adaptive.residue.max()! / 0.01
        #expect(ratio > 0.6 && ratio < 0.85, "max k / true \(ratio) at P = \(adaptive.threshold)")
        #expect(d.peakTimeS(adaptive.residue) > delayS)
    }
}
