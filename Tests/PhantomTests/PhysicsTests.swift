import Foundation
import Testing
@testable import Phantom

/// Indicator-dilution physics checked against DESIGN section 5's inversion formulas,
/// on a 300 s fine grid (long enough for every curve to return to 0).
@Suite struct PhysicsTests {
    let rhoOverKH = PerfusionConstants.tissueDensityGPerML / PerfusionConstants.hematocritFactorKH
    let aif = GammaVariateBolus.arterialInput
    let bolus = BolusModel(aif: .arterialInput, venousTransit: VenousTransit(modeS: 6.5), horizonS: 300,
                           mttsS: ClassTable.mttsS)
    let step = Indicator.stepS
    var fineTimes: [Double] { (0..<6000).map { Double($0) * step } }

    static let classes: [(TissueLabel, PerfusionRegion)] = [TissueLabel.greyMatter, .whiteMatter].flatMap { l in
        PerfusionRegion.allCases.map { (l, $0) }
    }

    @Test func arterialInputHasBaselineFramesPeakAndReturn() {
        #expect(aif.deltaHU(atS: 6.9) == 0)
        #expect(abs(aif.peakTimeS - 14.5) < 1e-12)
        #expect(abs(aif.deltaHU(atS: 14.5) - 350) < 1e-9)
        #expect(aif.deltaHU(atS: 14.0) < 350 && aif.deltaHU(atS: 15.0) < 350)
        #expect(aif.deltaHU(atS: 40) < 2)
        // Analytic area vs numerical integration.
        let numeric = Fixtures.trapezoid(fineTimes.map { aif.deltaHU(atS: $0) }, stepS: step)
        #expect(abs(numeric / aif.areaHUSeconds - 1) < 1e-4)
    }

    @Test func exponentialConvolutionMatchesClosedForms() {
        // Unit step input from t = 0: y(t) = T (1 - exp(-t/T)). Ramp input t: y = T t - T^2 (1 - exp(-t/T)).
        let T = 4.0
        let step1 = Indicator.convolveExponential(FineCurve(stepS: 0.05, count: 401) { _ in 1 }, timeConstantS: T)
        let ramp = Indicator.convolveExponential(FineCurve(stepS: 0.05, count: 401) { $0 }, timeConstantS: T)
        for t in [0.05, 1.0, 7.3, 20.0] {
            #expect(abs(step1.value(atS: t) - T * (1 - exp(-t / T))) < 1e-9)
            #expect(abs(ramp.value(atS: t) - (T * t - T * T * (1 - exp(-t / T)))) < 1e-9)
        }
    }

    @Test(arguments: classes)
    func cbvFromAreaRatioInvertsTheModel(label: TissueLabel, region: PerfusionRegion) throws {
        let d = try #require(TissuePerfusion.dynamics(label, region))
        let tissue = fineTimes.map { bolus.tissueDeltaHU(d, atS: $0) }
        let cbv = (1 / rhoOverKH) * Fixtures.trapezoid(tissue, stepS: step) / aif.areaHUSeconds * 100
        #expect(abs(cbv / d.cbvMLPer100g - 1) < 0.01, "CBV \(cbv) vs \(d.cbvMLPer100g)")
        #expect(abs(60 * d.cbvMLPer100g / d.cbfMLPer100gPerMin - d.mttS) < 1e-12)
    }

    @Test(arguments: classes)
    func residueMaxGivesCBFAndItsArgmaxTheDelay(label: TissueLabel, region: PerfusionRegion) throws {
        let d = try #require(TissuePerfusion.dynamics(label, region))
        let k = fineTimes.map { d.residue(atS: $0) }
        let kMax = try #require(k.max())
        #expect(abs((1 / rhoOverKH) * kMax * 6000 / d.cbfMLPer100gPerMin - 1) < 1e-12)
        let argmax = try #require(k.indices.max { k[$0] < k[$1] })
        #expect(abs(Double(argmax) * step - d.delayS) <= step / 2)
        // The model's tissue curve is the AIF convolved with this residue (independent direct sum).
        let direct = Indicator.convolve(FineCurve(stepS: step, values: fineTimes.map { aif.deltaHU(atS: $0) }),
                                        kernel: k)
        let peak = try #require((0..<1200).map { bolus.tissueDeltaHU(d, atS: Double($0) * step) }.max())
        for n in stride(from: 0, to: 1200, by: 7) {
            let t = Double(n) * step
            #expect(abs(direct.values[n] - bolus.tissueDeltaHU(d, atS: t)) < 0.01 * peak)
        }
    }

    @Test func tissueCurveIsShiftedByItsDelay() {
        let base = TissueDynamics(cbfMLPer100gPerMin: 60, mttS: 4, delayS: 0)
        let delayed = TissueDynamics(cbfMLPer100gPerMin: 60, mttS: 4, delayS: 12)
        for t in stride(from: 0.0, through: 60, by: 0.7) {
            #expect(abs(bolus.tissueDeltaHU(delayed, atS: t + 12) - bolus.tissueDeltaHU(base, atS: t)) < 1e-9)
        }
        #expect(bolus.tissueDeltaHU(delayed, atS: aif.arrivalS + 12) == 0)
        #expect(bolus.tissueDeltaHU(delayed, atS: aif.arrivalS + 12.5) > 0)
    }

    @Test(arguments: [6.5, 12.0])
    func venousOutflowConservesIndicatorAndPeaksAfterTheMode(modeS: Double) throws {
        let venous = VenousTransit(modeS: modeS)
        let model = BolusModel(aif: aif, venousTransit: venous, horizonS: 300, mttsS: [])
        #expect(abs(model.vofCurve.area / aif.areaHUSeconds - 1) < 0.01)
        let h = venous.kernel(stepS: step)
        #expect(abs(Fixtures.trapezoid(h, stepS: step) - 1) < 1e-3)
        let hMode = FineCurve(stepS: step, values: h).peakTimeS
        #expect(abs(hMode - modeS) < 0.01, "transit density mode \(hMode) s (venous Tmax truth \(modeS) s)")
        // Dispersion: later and lower than the arterial peak.
        #expect(model.vofCurve.peakTimeS > aif.peakTimeS + modeS * 0.5)
        #expect(try #require(model.vofCurve.values.max()) < aif.peakDeltaHU)
    }
}
