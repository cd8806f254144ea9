import Foundation
import Testing
@testable import Perfusion

/// Curve features, gamma variates and small linear algebra, checked by hand.
@Suite struct CurveTests {
    /// A triangle 0, 2, 4, 2, 0 at t = 0, 1, 2, 3, 4: peak 4 at 2 s, half maximum crossed at 1 s
    /// and 3 s (FWHM 2 s), area 8.
    @Test func triangleFeatures() {
        let f = CurveMath.features([0, 2, 4, 2, 0], times: [0, 1, 2, 3, 4])
        #expect(f.peak == 4 && f.timeToPeakS == 2 && f.fwhmS == 2 && f.area == 8)
        // Asymmetric samples: the parabola through (1, 2), (2, 4), (3, 3) peaks at 2 + 1/6 s.
        let g = CurveMath.features([0, 2, 4, 3, 0], times: [0, 1, 2, 3, 4])
        #expect(abs(g.timeToPeakS - (2 + 1.0 / 6)) < 1e-12)
        // Never back to half its peak: no FWHM.
        #expect(CurveMath.features([0, 2, 4, 3.5], times: [0, 1, 2, 3]).fwhmS == nil)
    }

    @Test func interpolationAndPercentiles() {
        #expect(CurveMath.interpolate([0, 10, 20], times: [0, 2, 4], at: 3) == 15)
        #expect(CurveMath.interpolate([0, 10, 20], times: [0, 2, 4], at: -1) == 0)
        #expect(CurveMath.interpolate([0, 10, 20], times: [0, 2, 4], at: 9) == 20)
        #expect(CurveMath.percentile([4, 1, 3, 2, 5], 50) == 3)
        #expect(CurveMath.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90) == 10)
        #expect(CurveMath.percentile([], 50) == nil)
    }

    /// Peak parametrisation: C(arrival + rise) = peak; the area formula matches numerical integration.
    @Test func gammaVariateShapeAndArea() {
        let g = GammaVariate(arrivalS: 7, riseS: 7.5, alpha: 3, peak: 350)
        #expect(abs(g.value(atS: 14.5) - 350) < 1e-9 && g.value(atS: 7) == 0 && g.peakTimeS == 14.5)
        var numeric = 0.0
        for n in 0..<200_000 { numeric += g.value(atS: (Double(n) + 0.5) * 0.001) * 0.001 }
        #expect(abs(g.area / numeric - 1) < 1e-6)
        // The phantom's AIF area: peak e^alpha alpha^-alpha Gamma(alpha + 1) beta with beta = 2.5 s.
        #expect(abs(g.area - 350 * exp(3) * pow(3, -3) * 6 * 2.5) < 1e-6)
    }

    /// Least-squares fit of a sampled, noiseless gamma variate recovers its parameters.
    @Test func gammaVariateFit() throws {
        let truth = GammaVariate(arrivalS: 7, riseS: 7.5, alpha: 3, peak: 350)
        let times = (0..<30).map { Double($0) * 2 }
        let fit = try #require(GammaVariate.fit(times.map { truth.value(atS: $0) }, times: times))
        #expect(abs(fit.model.arrivalS - 7) < 0.05 && abs(fit.model.riseS - 7.5) < 0.05)
        #expect(abs(fit.model.alpha - 3) < 0.05 && abs(fit.model.peak - 350) < 0.5)
        #expect(fit.rmsResidual < 0.1)
        #expect(GammaVariate.fit([Double](repeating: 0, count: 30), times: times) == nil)
    }

    @Test func linearSolveAndEigen() throws {
        let x = try #require(LinearSolve.solve([2, 1, 1, 3], [3, 5], size: 2))
        #expect(abs(x[0] - 0.8) < 1e-12 && abs(x[1] - 1.4) < 1e-12)
        #expect(LinearSolve.solve([1, 2, 2, 4], [1, 1], size: 2) == nil)
        // [[2, 1], [1, 2]]: eigenvalues 3 and 1 with eigenvectors (1, 1)/√2 and (1, -1)/√2.
        let e = SymmetricEigen.decompose([2, 1, 1, 2], size: 2)
        #expect(abs(e.values[0] - 3) < 1e-12 && abs(e.values[1] - 1) < 1e-12)
        #expect(abs(abs(e.vectors[0][0]) - 0.5.squareRoot()) < 1e-12 && abs(e.vectors[0][0] - e.vectors[0][1]) < 1e-12)
    }
}
