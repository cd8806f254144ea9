import Foundation

/// Agreement of estimates with true values (Kudo et al., Radiology 2013;267:201 report Pearson r
/// and the errors by true value): r, bias and its spread, and the least-squares line
/// estimate = slope * truth + intercept. Units are the parameter's, except the percentages.
public struct Agreement: Sendable, Equatable {
    public let count: Int
    /// Pearson correlation of estimate with truth (NaN with fewer than 2 points or no spread).
    public let pearsonR: Double
    /// Mean of (estimate - truth).
    public let meanBias: Double
    /// Mean of (estimate - truth) / truth x 100 over the points with truth != 0, %.
    public let meanBiasPercent: Double
    /// Sample SD (n - 1) of (estimate - truth).
    public let biasSD: Double
    public let slope: Double
    public let intercept: Double

    public init(truth: [Double], estimate: [Double]) {
        precondition(truth.count == estimate.count, "Agreement: \(truth.count) true and \(estimate.count) estimated values")
        count = truth.count
        let d = zip(estimate, truth).map { $0 - $1 }
        meanBias = Statistics.mean(d)
        meanBiasPercent = Statistics.mean(zip(d, truth).filter { $0.1 != 0 }.map { 100 * $0 / $1 })
        biasSD = Statistics.standardDeviation(d)
        pearsonR = Statistics.pearson(truth, estimate)
        (slope, intercept) = Statistics.leastSquaresLine(x: truth, y: estimate)
    }
}

/// Bland–Altman agreement of two measurements of the same quantity (Bland & Altman, Lancet
/// 1986;1:307): difference = estimate - truth; bias = mean difference; limits of agreement
/// bias ± 1.96 SD (sample SD, n - 1).
public struct BlandAltman: Sendable, Equatable {
    public let count: Int
    public let bias: Double
    public let differenceSD: Double
    public var lowerLimit: Double { bias - 1.96 * differenceSD }
    public var upperLimit: Double { bias + 1.96 * differenceSD }

    public init(truth: [Double], estimate: [Double]) {
        precondition(truth.count == estimate.count, "BlandAltman: \(truth.count) true and \(estimate.count) estimated values")
        count = truth.count
        let d = zip(estimate, truth).map { $0 - $1 }
        bias = Statistics.mean(d)
        differenceSD = Statistics.standardDeviation(d)
    }
}

/// Plain descriptive statistics; empty input gives NaN.
public enum Statistics {
    public static func mean(_ x: [Double]) -> Double {
        x.isEmpty ? .nan : x.reduce(0, +) / Double(x.count)
    }

    /// Sample standard deviation (divisor n - 1); NaN for fewer than 2 values.
    public static func standardDeviation(_ x: [Double]) -> Double {
        guard x.count >= 2 else { return .nan }
        let m = mean(x)
        return (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)).squareRoot()
    }

    /// Median (mean of the middle two for an even count); NaN when empty.
    public static func median(_ x: [Double]) -> Double {
        guard !x.isEmpty else { return .nan }
        let s = x.sorted(), n = s.count
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
    }

    /// Pearson r = Sxy / sqrt(Sxx Syy); NaN when either has no spread.
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        let (sxx, syy, sxy) = moments(x, y)
        guard sxx > 0, syy > 0 else { return .nan }
        return sxy / (sxx * syy).squareRoot()
    }

    /// Least-squares y = slope * x + intercept: slope = Sxy / Sxx.
    public static func leastSquaresLine(x: [Double], y: [Double]) -> (slope: Double, intercept: Double) {
        let (sxx, _, sxy) = moments(x, y)
        guard sxx > 0 else { return (.nan, .nan) }
        let slope = sxy / sxx
        return (slope, mean(y) - slope * mean(x))
    }

    /// Centred sums of squares and products.
    static func moments(_ x: [Double], _ y: [Double]) -> (sxx: Double, syy: Double, sxy: Double) {
        let mx = mean(x), my = mean(y)
        var sxx = 0.0, syy = 0.0, sxy = 0.0
        for (a, b) in zip(x, y) {
            sxx += (a - mx) * (a - mx); syy += (b - my) * (b - my); sxy += (a - mx) * (b - my)
        }
        return (sxx, syy, sxy)
    }
}
