import Foundation

/// Shape features of a sampled curve (times may be irregular).
struct CurveFeatures: Sendable, Equatable {
    /// Largest sample, same unit as the curve.
    var peak: Double
    /// Time of the peak with quadratic refinement through the neighbouring samples, s.
    var timeToPeakS: Double
    /// Full width at half maximum (linear interpolation of the crossings), s; nil when the
    /// curve does not fall below half its peak on both sides.
    var fwhmS: Double?
    /// Trapezoidal area over the samples, unit·s.
    var area: Double
}

enum CurveMath {
    static func features(_ y: [Double], times: [Double]) -> CurveFeatures {
        precondition(y.count == times.count && !y.isEmpty)
        var n = 0
        for i in 1..<y.count where y[i] > y[n] { n = i }
        let peak = y[n]
        var ttp = times[n]
        if n > 0 && n < y.count - 1 {
            ttp = quadraticPeak(times[n - 1], y[n - 1], times[n], y[n], times[n + 1], y[n + 1]) ?? times[n]
        }
        var fwhm: Double?
        let half = peak / 2
        if peak > 0, let before = (0..<n).last(where: { y[$0] < half }),
           let after = ((n + 1)..<y.count).first(where: { y[$0] < half }) {
            let rise = crossing(times[before], y[before], times[before + 1], y[before + 1], half)
            let fall = crossing(times[after - 1], y[after - 1], times[after], y[after], half)
            fwhm = fall - rise
        }
        return CurveFeatures(peak: peak, timeToPeakS: ttp, fwhmS: fwhm, area: trapezoid(y, times: times))
    }

    /// Vertex of the parabola through three points; nil when they do not make a maximum.
    static func quadraticPeak(_ t0: Double, _ y0: Double, _ t1: Double, _ y1: Double, _ t2: Double, _ y2: Double) -> Double? {
        let d0 = (y1 - y0) / (t1 - t0), d1 = (y2 - y1) / (t2 - t1)
        let curvature = (d1 - d0) / (t2 - t0)
        guard curvature < 0 else { return nil }
        // y = y1 + d*(t - t1) + c*(t - t1)^2 with the centred slope d.
        let slope = d0 + curvature * (t1 - t0)
        let vertex = t1 - slope / (2 * curvature)
        return min(t2, max(t0, vertex))
    }

    /// Time where the segment (ta, ya)-(tb, yb) crosses `level`.
    static func crossing(_ ta: Double, _ ya: Double, _ tb: Double, _ yb: Double, _ level: Double) -> Double {
        guard yb != ya else { return ta }
        return ta + (tb - ta) * (level - ya) / (yb - ya)
    }

    static func trapezoid(_ y: [Double], times: [Double]) -> Double {
        var s = 0.0
        for i in 1..<max(1, y.count) { s += 0.5 * (y[i] + y[i - 1]) * (times[i] - times[i - 1]) }
        return s
    }

    /// Linear interpolation of (times, y) at t; 0 before the first sample, the last value after.
    static func interpolate(_ y: [Double], times: [Double], at t: Double) -> Double {
        guard t >= times[0] else { return 0 }
        guard t < times[times.count - 1] else { return y[y.count - 1] }
        var lo = 0, hi = times.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if times[mid] <= t { lo = mid } else { hi = mid }
        }
        let w = (t - times[lo]) / (times[hi] - times[lo])
        return y[lo] * (1 - w) + y[hi] * w
    }

    /// Percentile (0...100, linear between order statistics) of unsorted values; nil if empty.
    static func percentile(_ values: [Double], _ p: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let s = values.sorted()
        let x = p / 100 * Double(s.count - 1)
        let lo = Int(x.rounded(.down)), hi = min(s.count - 1, lo + 1)
        return s[lo] + (s[hi] - s[lo]) * (x - Double(lo))
    }
}
