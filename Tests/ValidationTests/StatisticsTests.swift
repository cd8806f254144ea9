import Foundation
import Testing
@testable import Validation

/// The report's statistics against small cases computed by hand.
@Suite struct StatisticsTests {
    // x = [1, 2, 3], y = [2, 4, 7]: mean x 2, mean y 13/3, Sxx 2, Syy 114/9, Sxy 5.
    static let x = [1.0, 2, 3], y = [2.0, 4, 7]

    @Test func agreementOfASmallCase() {
        let a = Agreement(truth: Self.x, estimate: Self.y)
        #expect(a.count == 3)
        #expect(abs(a.pearsonR - 5 / (2 * 114.0 / 9).squareRoot()) < 1e-12)    // 0.99339
        #expect(abs(a.slope - 2.5) < 1e-12)                                       // Sxy / Sxx
        #expect(abs(a.intercept - (13.0 / 3 - 5)) < 1e-12)                        // -2/3
        // Differences y - x = [1, 2, 4]: mean 7/3, sample SD sqrt(7/3).
        #expect(abs(a.meanBias - 7.0 / 3) < 1e-12)
        #expect(abs(a.biasSD - (7.0 / 3).squareRoot()) < 1e-12)
        // (1/1 + 2/2 + 4/3) / 3 x 100 = 111.1 %.
        #expect(abs(a.meanBiasPercent - 100 * (1 + 1 + 4.0 / 3) / 3) < 1e-9)
    }

    @Test func blandAltmanOfASmallCase() {
        let b = BlandAltman(truth: Self.x, estimate: Self.y)
        let sd = (7.0 / 3).squareRoot()
        #expect(abs(b.bias - 7.0 / 3) < 1e-12)
        #expect(abs(b.differenceSD - sd) < 1e-12)
        #expect(abs(b.lowerLimit - (7.0 / 3 - 1.96 * sd)) < 1e-12)
        #expect(abs(b.upperLimit - (7.0 / 3 + 1.96 * sd)) < 1e-12)
    }

    @Test func degenerateInputsGiveNaNNotATrap() {
        #expect(Statistics.mean([]).isNaN)
        #expect(Statistics.standardDeviation([5]).isNaN)
        #expect(Statistics.pearson([1, 1, 1], [1, 2, 3]).isNaN)
        #expect(Statistics.median([3, 1, 2]) == 2 && Statistics.median([4, 1, 3, 2]) == 2.5)
        // Percent bias skips zero truths (Tmax of a zero delay).
        #expect(abs(Agreement(truth: [0, 2], estimate: [1, 3]).meanBiasPercent - 50) < 1e-12)
    }

    @Test func markdownNumbers() {
        #expect(Markdown.number(-0.04, 1) == "0.0")
        #expect(Markdown.signed(1.25, 1) == "+1.2" || Markdown.signed(1.25, 1) == "+1.3")
        #expect(Markdown.number(.nan) == "n/a")
    }
}
