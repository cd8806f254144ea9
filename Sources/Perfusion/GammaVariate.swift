import Foundation

/// A gamma-variate bolus (Thompson et al. 1964; Madsen 1992 parametrisation by the peak):
/// C(t) = peak * u^alpha * exp(alpha * (1 - u)), u = (t - arrivalS) / riseS, for t > arrivalS.
/// It peaks at arrivalS + riseS with value `peak`.
struct GammaVariate: Sendable, Equatable {
    var arrivalS: Double
    var riseS: Double
    var alpha: Double
    var peak: Double

    var peakTimeS: Double { arrivalS + riseS }

    @inline(__always) func value(atS t: Double) -> Double {
        guard t > arrivalS else { return 0 }
        let u = (t - arrivalS) / riseS
        return peak * exp(alpha * (log(u) + 1 - u))
    }

    /// Area over all time: peak * riseS * e^alpha * Gamma(alpha + 1) / alpha^(alpha + 1).
    var area: Double { peak * riseS * exp(alpha + lgamma(alpha + 1) - (alpha + 1) * log(alpha)) }

    /// Least-squares fit (Levenberg–Marquardt) to the first pass of a sampled curve: every sample
    /// up to the first one after the peak that falls below `tailFraction` of the peak (so
    /// recirculation is left out). Returns nil for a curve without a clear positive peak.
    static func fit(_ y: [Double], times: [Double], tailFraction: Double = 0.3) -> (model: GammaVariate, rmsResidual: Double)? {
        guard y.count >= 5 else { return nil }
        var n = 0
        for i in 1..<y.count where y[i] > y[n] { n = i }
        let peak = y[n]
        guard peak > 0, n > 0 else { return nil }
        let end = ((n + 1)..<y.count).first(where: { y[$0] < tailFraction * peak }) ?? (y.count - 1)
        let window = 0...end
        let startIndex = (0..<n).last(where: { y[$0] < 0.1 * peak }) ?? 0
        let arrival = times[startIndex]
        var p = [arrival, max(0.5, times[n] - arrival), 3.0, peak]
        func model(_ q: [Double], _ t: Double) -> Double {
            GammaVariate(arrivalS: q[0], riseS: q[1], alpha: q[2], peak: q[3]).value(atS: t)
        }
        func cost(_ q: [Double]) -> Double { window.reduce(0) { let r = model(q, times[$1]) - y[$1]; return $0 + r * r } }
        func valid(_ q: [Double]) -> Bool { q[1] > 0.2 && q[2] > 0.3 && q[2] < 30 && q[3] > 0 && q[0] < times[n] }
        var lambda = 1e-2
        var current = cost(p)
        for _ in 0..<100 {
            // Numerical Jacobian (central differences).
            let steps = [0.01, 0.01, 0.01, max(1e-3, 1e-4 * abs(p[3]))]
            var jtj = [Double](repeating: 0, count: 16), jtr = [Double](repeating: 0, count: 4)
            for i in window {
                let t = times[i]
                var row = [Double](repeating: 0, count: 4)
                for a in 0..<4 {
                    var hi = p, lo = p
                    hi[a] += steps[a]; lo[a] -= steps[a]
                    row[a] = (model(hi, t) - model(lo, t)) / (2 * steps[a])
                }
                let r = model(p, t) - y[i]
                for a in 0..<4 {
                    jtr[a] += row[a] * r
                    for b in 0..<4 { jtj[a * 4 + b] += row[a] * row[b] }
                }
            }
            var improved = false
            while lambda < 1e8 {
                var m = jtj
                for a in 0..<4 { m[a * 4 + a] += lambda * max(jtj[a * 4 + a], 1e-12) }
                guard let delta = LinearSolve.solve(m, jtr.map { -$0 }, size: 4) else { lambda *= 10; continue }
                let q = zip(p, delta).map { $0 + $1 }
                let c = valid(q) ? cost(q) : .infinity
                if c < current {
                    let gain = (current - c) / max(current, 1e-300)
                    p = q; current = c; lambda = max(1e-7, lambda / 3); improved = true
                    if gain < 1e-10 { lambda = 1e9 }
                    break
                }
                lambda *= 10
            }
            if !improved || lambda >= 1e8 { break }
        }
        let g = GammaVariate(arrivalS: p[0], riseS: p[1], alpha: p[2], peak: p[3])
        return (g, (current / Double(window.count)).squareRoot())
    }
}

/// Small dense linear systems (Gaussian elimination with partial pivoting).
enum LinearSolve {
    /// Solves A x = b for a row-major size x size matrix; nil when singular.
    static func solve(_ a: [Double], _ b: [Double], size n: Int) -> [Double]? {
        var m = a, x = b
        for c in 0..<n {
            var pivot = c
            for r in (c + 1)..<n where abs(m[r * n + c]) > abs(m[pivot * n + c]) { pivot = r }
            guard abs(m[pivot * n + c]) > 1e-300 else { return nil }
            if pivot != c {
                for k in 0..<n { m.swapAt(c * n + k, pivot * n + k) }
                x.swapAt(c, pivot)
            }
            for r in (c + 1)..<n {
                let f = m[r * n + c] / m[c * n + c]
                guard f != 0 else { continue }
                for k in c..<n { m[r * n + k] -= f * m[c * n + k] }
                x[r] -= f * x[c]
            }
        }
        for c in stride(from: n - 1, through: 0, by: -1) {
            var s = x[c]
            for k in (c + 1)..<n { s -= m[c * n + k] * x[k] }
            x[c] = s / m[c * n + c]
        }
        return x
    }
}
