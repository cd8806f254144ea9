import Foundation

/// The time courses of one study, on a fine grid from the first frame (t = 0) to `horizonS`:
/// arterial input, venous outflow, late collateral filling, and the AIF convolved with
/// exp(-t/MTT) for every MTT the tissue classes use (one curve per MTT, not per voxel).
/// Public so the validation report (ctperf-validate) makes its tissue curves with the very same
/// physics as the anatomical phantom.
public struct BolusModel: Sendable {
    let aif: GammaVariateBolus
    let venousTransit: VenousTransit
    let aifCurve: FineCurve        // delta HU
    let vofCurve: FineCurve        // delta HU
    let collateralCurve: FineCurve // delta HU, before its delay
    private let exponentialConvolutions: [Double: FineCurve]   // MTT (s) -> AIF ⊗ exp(-t/MTT), HU·s

    /// Arteries distal to the occlusion fill through collaterals this much later (s) and
    /// dispersed by a unit-area exponential of this time constant (s).
    static let collateralDelayS = 6.0
    static let collateralDispersionS = 2.5

    /// Curves cover [0, horizonS] (capped at 400 s: every curve is ~0 long before that).
    public init(aif: GammaVariateBolus, venousTransit: VenousTransit, horizonS: Double, mttsS: Set<Double>) {
        self.aif = aif
        self.venousTransit = venousTransit
        let step = Indicator.stepS
        let count = Int((min(max(horizonS, 1), 400) / step).rounded(.up)) + 2
        aifCurve = FineCurve(stepS: step, count: count) { aif.deltaHU(atS: $0) }
        vofCurve = Indicator.convolve(aifCurve, kernel: venousTransit.kernel(stepS: step))
        let dispersed = Indicator.convolveExponential(aifCurve, timeConstantS: Self.collateralDispersionS)
        collateralCurve = FineCurve(stepS: step, values: dispersed.values.map { $0 / Self.collateralDispersionS })
        var table: [Double: FineCurve] = [:]
        for mtt in mttsS { table[mtt] = Indicator.convolveExponential(aifCurve, timeConstantS: mtt) }
        exponentialConvolutions = table
    }

    /// Tissue delta HU at time t: (rho/kH)(CBF/6000) (AIF ⊗ exp(-t/MTT))(t - delay).
    public func tissueDeltaHU(_ d: TissueDynamics, atS t: Double) -> Double {
        guard let y = exponentialConvolutions[d.mttS] else {
            preconditionFailure("BolusModel built without MTT \(d.mttS) s")
        }
        return d.residueScalePerS * y.value(atS: t - d.delayS)
    }

    /// Delta HU inside a vessel at time t (full vessel, no partial volume).
    func vesselDeltaHU(_ kind: VesselKind, atS t: Double) -> Double {
        switch kind {
        case .none, .clot: 0
        case .artery: aif.deltaHU(atS: t)
        case .collateralArtery: collateralCurve.value(atS: t - Self.collateralDelayS)
        case .superiorSagittalSinus, .torcula, .transverseSinus: vofCurve.value(atS: t)
        }
    }
}
