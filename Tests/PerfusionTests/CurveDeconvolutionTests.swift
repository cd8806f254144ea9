import Foundation
import Phantom
import Testing
import Perfusion

/// `CurveDeconvolution` (the public curve-level entry point of the maps' deconvolution) on
/// curves made by the phantom's own physics (`BolusModel`, `GammaVariateBolus.arterialInput`).
@Suite struct CurveDeconvolutionTests {
    static let timesS = (0..<30).map { Double($0) * 2 }
    static let greyMatter = TissuePerfusion.normalGreyMatter   // CBF 60, MTT 4 s, delay 0.5 s

    static func curves(_ d: TissueDynamics) -> (tissue: [Double], aif: [Double]) {
        let aif = GammaVariateBolus.arterialInput
        let bolus = BolusModel(aif: aif, venousTransit: VenousTransit(modeS: 6.5), horizonS: 60, mttsS: [d.mttS])
        return (timesS.map { bolus.tissueDeltaHU(d, atS: $0) }, timesS.map { aif.deltaHU(atS: $0) })
    }

    /// Noiseless normal grey matter comes back within 3 % (CBF, CBV, MTT) and 0.2 s (Tmax): the
    /// fit's model is the phantom's, so only the grid of the search and the gamma-variate fit of
    /// the sampled AIF remain (ParametricFitTests reaches 2 % with the exact AIF).
    @Test func noiselessGreyMatterIsRecovered() throws {
        let (tissue, aif) = Self.curves(Self.greyMatter)
        let e = try #require(CurveDeconvolution.estimate(tissueDeltaHU: [tissue], aifDeltaHU: aif,
                                                           frameTimesS: Self.timesS, options: PerfusionOptions()).first)
        let d = Self.greyMatter
        #expect(abs(e.cbfMLPer100gPerMin / d.cbfMLPer100gPerMin - 1) < 0.03, "CBF \(e.cbfMLPer100gPerMin)")
        #expect(abs(e.cbvMLPer100g / d.cbvMLPer100g - 1) < 0.03, "CBV \(e.cbvMLPer100g)")
        #expect(abs(e.mttS / d.mttS - 1) < 0.03, "MTT \(e.mttS)")
        #expect(abs(e.tmaxS - d.delayS) < 0.2, "Tmax \(e.tmaxS)")
    }

    /// The textbook method on the same curve: finite, positive, and CBF low (DESIGN section 5).
    @Test func blockCirculantSVDReadsLow() throws {
        var options = PerfusionOptions()
        options.deconvolution = .blockCirculantSVD
        let (tissue, aif) = Self.curves(Self.greyMatter)
        let e = try #require(CurveDeconvolution.estimate(tissueDeltaHU: [tissue], aifDeltaHU: aif,
                                                           frameTimesS: Self.timesS, options: options).first)
        #expect(e.cbfMLPer100gPerMin > 0 && e.cbfMLPer100gPerMin < Self.greyMatter.cbfMLPer100gPerMin)
        #expect(abs(e.cbvMLPer100g / Self.greyMatter.cbvMLPer100g - 1) < 0.1, "CBV \(e.cbvMLPer100g)")
    }

    @Test func mismatchedLengthsThrow() {
        let (tissue, aif) = Self.curves(Self.greyMatter)
        #expect(throws: PerfusionError.self) {
            try CurveDeconvolution.estimate(tissueDeltaHU: [Array(tissue.dropLast())], aifDeltaHU: aif,
                                            frameTimesS: Self.timesS, options: PerfusionOptions())
        }
    }
}
