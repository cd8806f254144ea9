import Foundation

/// Constants of the indicator-dilution model (DESIGN section 5).
public enum PerfusionConstants {
    /// Brain tissue density rho, g/mL.
    public static let tissueDensityGPerML = 1.04
    /// Large-to-small-vessel haematocrit correction kH (dimensionless).
    public static let hematocritFactorKH = 0.73
}

/// A gamma-variate bolus, delta HU:
/// C(t) = peak * x^alpha * exp(alpha * (1 - x)), x = (t - arrival) / (alpha * beta), for t > arrival.
public struct GammaVariateBolus: Sendable, Equatable {
    public let arrivalS: Double
    public let alpha: Double
    public let betaS: Double
    public let peakDeltaHU: Double

    /// The phantom's arterial input: arrives 7 s after the first frame, peaks at 350 HU at
    /// 14.5 s, back below 1.5 HU by 40 s (no recirculation).
    public static let arterialInput = GammaVariateBolus(arrivalS: 7, alpha: 3, betaS: 2.5, peakDeltaHU: 350)

    public var peakTimeS: Double { arrivalS + alpha * betaS }

    /// Delta HU at time t (s from the first frame).
    public func deltaHU(atS t: Double) -> Double {
        guard t > arrivalS else { return 0 }
        let x = (t - arrivalS) / (alpha * betaS)
        return peakDeltaHU * pow(x, alpha) * exp(alpha * (1 - x))
    }

    /// Exact area, HU·s: peak * e^alpha * alpha^-alpha * Gamma(alpha + 1) * beta.
    public var areaHUSeconds: Double {
        peakDeltaHU * exp(alpha) * pow(alpha, -alpha) * tgamma(alpha + 1) * betaS
    }
}

/// A curve on a uniform fine time grid starting at t = 0 (values[n] at n * stepS).
struct FineCurve: Sendable {
    let stepS: Double
    let values: [Double]

    init(stepS: Double, values: [Double]) {
        self.stepS = stepS; self.values = values
    }

    init(stepS: Double, count: Int, _ f: (Double) -> Double) {
        self.init(stepS: stepS, values: (0..<count).map { f(Double($0) * stepS) })
    }

    /// Linear interpolation; 0 before t = 0, the last value beyond the grid.
    func value(atS t: Double) -> Double {
        guard t > 0 else { return t == 0 ? values[0] : 0 }
        let x = t / stepS
        let n = Int(x)
        if n >= values.count - 1 { return values[values.count - 1] }
        let w = x - Double(n)
        return values[n] * (1 - w) + values[n + 1] * w
    }

    /// Trapezoidal integral over the whole grid (unit·s).
    var area: Double {
        guard values.count > 1 else { return 0 }
        return stepS * (values.reduce(0, +) - 0.5 * (values[0] + values[values.count - 1]))
    }

    /// Continuous argmax time, s (parabolic refinement around the largest sample).
    var peakTimeS: Double {
        guard let n = values.indices.max(by: { values[$0] < values[$1] }) else { return 0 }
        guard n > 0 && n < values.count - 1 else { return Double(n) * stepS }
        let a = values[n - 1], b = values[n], c = values[n + 1]
        let d = a - 2 * b + c
        return (Double(n) + (d != 0 ? 0.5 * (a - c) / d : 0)) * stepS
    }
}

/// Convolutions of the indicator-dilution model, on a fine grid.
enum Indicator {
    /// Fine time step of every model curve, s.
    static let stepS = 0.05

    /// y(t) = ∫ input(τ) exp(-(t - τ) / T) dτ, exact for an input linear between grid points
    /// (recursive: y[n+1] = E y[n] + w0 input[n] + w1 input[n+1], E = exp(-h/T)).
    static func convolveExponential(_ input: FineCurve, timeConstantS T: Double) -> FineCurve {
        let h = input.stepS
        let e = exp(-h / T)
        let i0 = T * (1 - e)                       // ∫0^h exp(-(h-s)/T) ds
        let i1 = h * T - T * T * (1 - e)           // ∫0^h s exp(-(h-s)/T) ds
        let w1 = i1 / h, w0 = i0 - w1
        var y = [Double](repeating: 0, count: input.values.count)
        for n in 0..<(y.count - 1) {
            y[n + 1] = e * y[n] + w0 * input.values[n] + w1 * input.values[n + 1]
        }
        return FineCurve(stepS: h, values: y)
    }

    /// (input ⊗ kernel)(t) by direct summation; the kernel is sampled on the same grid from t = 0.
    static func convolve(_ input: FineCurve, kernel: [Double]) -> FineCurve {
        let h = input.stepS
        var y = [Double](repeating: 0, count: input.values.count)
        for (m, a) in input.values.enumerated() where a != 0 {
            let w = a * h
            let end = min(y.count, m + kernel.count)
            var n = m
            while n < end { y[n] += w * kernel[n - m]; n += 1 }
        }
        return FineCurve(stepS: h, values: y)
    }
}

/// Venous transit: the venous outflow is VOF = AIF ⊗ h with h a gamma density of shape 4 and
/// area 1, so the VOF keeps the AIF's area (indicator conservation) and the venous Tmax (the
/// argmax of h) is its mode.
public struct VenousTransit: Sendable, Equatable {
    /// Mode of h = true venous Tmax relative to the AIF, s.
    public let modeS: Double
    static let shape = 4.0

    public init(modeS: Double) { self.modeS = modeS }

    var scaleS: Double { modeS / (Self.shape - 1) }

    /// h(t), 1/s.
    func density(atS t: Double) -> Double {
        guard t > 0 else { return 0 }
        let k = Self.shape, theta = scaleS
        return pow(t, k - 1) * exp(-t / theta) / (tgamma(k) * pow(theta, k))
    }

    /// h on a fine grid long enough to hold all but 1e-9 of its area.
    func kernel(stepS: Double) -> [Double] {
        let count = Int((scaleS * 40 / stepS).rounded(.up)) + 1
        return (0..<count).map { density(atS: Double($0) * stepS) }
    }
}

/// Perfusion of one tissue class: tissue delta HU
/// C(t) = (rho/kH) * (CBF/6000) * (AIF ⊗ R)(t - delay), R(t) = exp(-t/MTT),
/// so CBV = CBF * MTT / 60 and the residue k(t) = (rho/kH)(CBF/6000) R(t - delay) peaks at Tmax = delay.
public struct TissueDynamics: Sendable, Hashable, Codable {
    /// mL/100g/min
    public let cbfMLPer100gPerMin: Double
    /// s
    public let mttS: Double
    /// Tmax: shift of the residue relative to the AIF, s.
    public let delayS: Double

    public init(cbfMLPer100gPerMin: Double, mttS: Double, delayS: Double) {
        self.cbfMLPer100gPerMin = cbfMLPer100gPerMin; self.mttS = mttS; self.delayS = delayS
    }

    /// mL/100g
    public var cbvMLPer100g: Double { cbfMLPer100gPerMin * mttS / 60 }

    /// (rho/kH) * CBF/6000: the residue's height, 1/s.
    public var residueScalePerS: Double {
        PerfusionConstants.tissueDensityGPerML / PerfusionConstants.hematocritFactorKH * cbfMLPer100gPerMin / 6000
    }

    /// k(t), 1/s: the response of tissue delta HU to a unit arterial impulse at t = 0.
    public func residue(atS t: Double) -> Double {
        t < delayS ? 0 : residueScalePerS * exp(-(t - delayS) / mttS)
    }
}
