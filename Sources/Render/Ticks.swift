import Foundation

/// Axis ticks at "nice" steps (1, 2, 2.5 or 5 times a power of ten) and their labels.
enum Ticks {
    /// A step giving about `target` intervals over `span`.
    static func niceStep(span: Double, target: Int = 5) -> Double {
        guard span > 0, span.isFinite else { return 1 }
        let raw = span / Double(max(1, target))
        let p = pow(10, floor(log10(raw)))
        for m in [1.0, 2, 2.5, 5, 10] where m * p >= raw * 0.999 { return m * p }
        return 10 * p
    }

    /// Tick values inside `range` (inclusive, with a little tolerance at the ends).
    static func values(in range: ClosedRange<Double>, target: Int = 5) -> [Double] {
        let step = niceStep(span: range.upperBound - range.lowerBound, target: target)
        let eps = step * 1e-6
        var t = (range.lowerBound / step).rounded(.up) * step
        var out: [Double] = []
        while t <= range.upperBound + eps {
            out.append(abs(t) < eps ? 0 : t)
            t += step
        }
        return out
    }

    /// `range` widened outwards to multiples of a nice step (for plot axes).
    static func expanded(_ range: ClosedRange<Double>, target: Int = 5) -> ClosedRange<Double> {
        var lo = range.lowerBound, hi = range.upperBound
        if !(hi > lo) { lo -= 1; hi += 1 }
        let step = niceStep(span: hi - lo, target: target)
        return (floor(lo / step + 1e-9) * step)...(ceil(hi / step - 1e-9) * step)
    }

    /// A label with as many decimals as the step needs (step 0.5 -> "2.5", 2.5 -> "7.5", 10 -> "20").
    static func label(_ v: Double, step: Double) -> String {
        var decimals = 0
        while decimals < 6 {
            let scaled = abs(step) * pow(10, Double(decimals))
            if abs(scaled - scaled.rounded()) < 1e-6 * max(1, scaled) { break }
            decimals += 1
        }
        return String(format: "%.\(decimals)f", v == 0 ? 0 : v)
    }
}
