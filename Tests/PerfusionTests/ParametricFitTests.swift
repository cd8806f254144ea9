import Foundation
import Phantom
import Testing
@testable import Perfusion

/// The delayed-exponential fit: known CBF, MTT and delay recovered from curves computed
/// independently of `ResidueTable` (direct numerical convolution on a 1 ms grid).
@Suite struct ParametricFitTests {
    static let aif = GammaVariate(arrivalS: 7, riseS: 7.5, alpha: 3, peak: 350)
    static let times = (0..<30).map { Double($0) * 2 }
    /// (rho/kH) / 6000: amplitude per unit CBF, 1/s per mL/100g/min.
    static let amplitudePerCBF = 1.04 / 0.73 / 6000

    /// C(t) = (rho/kH)(CBF/6000) ∫_0^(t - delay) AIF(τ) exp(-(t - delay - τ)/MTT) dτ by midpoint sums.
    static func curve(cbf: Double, mttS: Double, delayS: Double, times: [Double] = times) -> [Double] {
        times.map { t in
            let end = t - delayS
            guard end > 0 else { return 0 }
            let h = 0.001
            var s = 0.0
            var tau = h / 2
            while tau < end { s += aif.value(atS: tau) * exp(-(end - tau) / mttS) * h; tau += h }
            return amplitudePerCBF * cbf * s
        }
    }

    static func fit(_ y: [Double], times: [Double] = times, weights: [Double]? = nil) -> ParametricFit.Estimate {
        let table = ResidueTable(aif: aif, times: times, frameWeights: weights)
        var padded = y.map(Float.init) + [Float](repeating: 0, count: table.stride - y.count)
        return padded.withUnsafeMutableBufferPointer { ParametricFit(table: table).fit($0.baseAddress!) }
    }

    @Test(arguments: [(60.0, 4.0, 0.5), (25.0, 4.8, 0.8), (9.0, 8.0, 12.0), (42.0, 6.5, 7.5), (30.0, 3.0, 3.3)])
    func noiselessCurveIsRecovered(cbf: Double, mtt: Double, delay: Double) {
        // With a constant offset of 3 HU, which the fit estimates as well.
        let e = Self.fit(Self.curve(cbf: cbf, mttS: mtt, delayS: delay).map { $0 + 3 })
        let estimatedCBF = Double(e.amplitudePerS) / Self.amplitudePerCBF
        #expect(abs(estimatedCBF / cbf - 1) < 0.02, "CBF \(estimatedCBF) vs \(cbf)")
        #expect(abs(Double(e.mttS) / mtt - 1) < 0.02, "MTT \(e.mttS) vs \(mtt)")
        #expect(abs(Double(e.delayS) - delay) < 0.1, "delay \(e.delayS) vs \(delay)")
        #expect(abs(e.offsetHU - 3) < 0.05)
    }

    /// Delay insensitivity: the same tissue seen 0 s and 8 s late gives the same CBF (within
    /// 10 %; the bar of the brief), with noise of 0.7 HU (what the smoothing leaves) averaged over
    /// 200 noise realisations, and exactly without noise.
    @Test func cbfDoesNotDependOnDelay() {
        var rng = SeededRandom(seed: 42)   // deterministic: the same noise on every run
        func gaussian() -> Double { rng.normal() }
        for (cbf, mtt) in [(60.0, 4.0), (25.0, 4.8)] {
            var means: [Double] = []
            for delay in [0.0, 8.0] {
                let clean = Self.curve(cbf: cbf, mttS: mtt, delayS: delay)
                let exact = Double(Self.fit(clean).amplitudePerS) / Self.amplitudePerCBF
                #expect(abs(exact / cbf - 1) < 0.02)
                var sum = 0.0
                for _ in 0..<200 { sum += Double(Self.fit(clean.map { $0 + 0.7 * gaussian() }).amplitudePerS) / Self.amplitudePerCBF }
                means.append(sum / 200)
            }
            #expect(abs(means[1] / means[0] - 1) <= 0.10, "CBF at 0 s \(means[0]), at 8 s \(means[1]) (true \(cbf))")
            #expect(abs(means[0] / cbf - 1) <= 0.10)
        }
    }

    /// Variable sampling (1.5 s then 3 s, the phantom's scheme) needs no resampling of the data.
    @Test func variableSampling() {
        var times = [0.0]
        for f in 1..<30 { times.append(times[f - 1] + (f < 15 ? 1.5 : 3)) }
        let e = Self.fit(Self.curve(cbf: 42, mttS: 6.5, delayS: 7.5, times: times), times: times)
        #expect(abs(Double(e.amplitudePerS) / Self.amplitudePerCBF / 42 - 1) < 0.02)
        #expect(abs(Double(e.delayS) - 7.5) < 0.1)
    }

    /// A frame with (almost) no weight cannot spoil the fit, whatever it holds.
    @Test func downWeightedFrameIsIgnored() {
        var y = Self.curve(cbf: 60, mttS: 4, delayS: 0.5)
        y[12] += 80
        var weights = [Double](repeating: 1, count: 30)
        weights[12] = 1e-6
        let e = Self.fit(y, weights: weights)
        #expect(abs(Double(e.amplitudePerS) / Self.amplitudePerCBF / 60 - 1) < 0.02)
        let spoiled = Self.fit(y)
        #expect(abs(Double(spoiled.amplitudePerS) / Self.amplitudePerCBF / 60 - 1) > 0.05)
    }

    /// A flat curve does not enhance: zero flow.
    @Test func flatCurveHasNoFlow() {
        let e = Self.fit([Double](repeating: 5, count: 30))
        #expect(e.amplitudePerS == 0 && e.mttS == 0)
    }

    /// The 3 x 3 quadratic fit finds the vertex of an exact quadratic, cross term included.
    @Test func quadraticPeakByHand() {
        // f(x, z) = -(x - 0.3)^2 - (z + 0.2)^2 - 0.5 (x - 0.3)(z + 0.2): maximum at (0.3, -0.2).
        var q = [Float](repeating: 0, count: 9)
        for x in -1...1 {
            for z in -1...1 {
                let a = Float(x) - 0.3, b = Float(z) + 0.2
                q[(x + 1) * 3 + z + 1] = -(a * a) - b * b - 0.5 * a * b
            }
        }
        let (x, z) = ParametricFit.quadraticPeak(q)
        #expect(abs(x - 0.3) < 1e-5 && abs(z + 0.2) < 1e-5)
        #expect(ParametricFit.parabolaPeak(0, 1, 0) == 0)
        #expect(abs(ParametricFit.parabolaPeak(1, 2, 0) - (-1.0 / 6)) < 1e-6)
    }

    /// The exponential convolution recursion is exact for a piecewise-linear input: a unit step
    /// gives T (1 - exp(-t/T)).
    @Test func exponentialConvolutionOfAStep() {
        let y = ResidueTable.convolveExponential([Double](repeating: 1, count: 101), stepS: 0.1, timeConstantS: 2)
        #expect(abs(y[100] - 2 * (1 - exp(-5))) < 1e-12)
    }
}

