import Foundation
import Imaging

/// Every DESIGN section 5 stroke metric, computed exactly from the truth maps with the DESIGN
/// definitions, plus the voxel counts behind each ratio. Property names carry their units and
/// turn into clean keys with `JSONEncoder.KeyEncodingStrategy.convertToSnakeCase`
/// (`coreVolumeML` -> `core_volume_ml`, `cbfMLPer100gPerMin` -> `cbf_ml_per100g_per_min`).
public struct PhantomTruthMetrics: Sendable, Codable, Equatable {
    /// True perfusion of one tissue.
    public struct TissueValues: Sendable, Codable, Equatable {
        public let cbfMLPer100gPerMin: Double
        public let cbvMLPer100g: Double
        public let mttS: Double
        public let tmaxS: Double

        init(_ d: TissueDynamics) {
            cbfMLPer100gPerMin = d.cbfMLPer100gPerMin; cbvMLPer100g = d.cbvMLPer100g; mttS = d.mttS; tmaxS = d.delayS
        }
    }

    /// One perfusion region: its true grey/white matter values and its brain volume.
    public struct RegionValues: Sendable, Codable, Equatable {
        public let region: String
        public let greyMatter: TissueValues
        public let whiteMatter: TissueValues
        public let voxels: Int
        public let volumeML: Double
    }

    /// Reference tissue for relative values: brain of the unaffected hemisphere with Tmax < 4 s
    /// (both hemispheres when there is no lesion).
    public struct ReferenceTissue: Sendable, Codable, Equatable {
        /// "left", "right" or "both".
        public let hemisphere: String
        public let cbfMLPer100gPerMin: Double
        public let cbvMLPer100g: Double
        public let voxels: Int
    }

    /// Prolonged venous transit: true venous Tmax (mode of the venous transit density).
    public struct VenousValues: Sendable, Codable, Equatable {
        public let sinusTmaxS: Double
        public let torculaTmaxS: Double
        /// PVT when the venous Tmax is at least this, s.
        public let pvtThresholdS: Double
        public let prolongedVenousTransit: Bool
        public let sinusVoxels: Int
        public let torculaVoxels: Int
    }

    /// The true arterial input (gamma variate). The venous outflow has the same area over
    /// infinite time (unit-area transit density); within a short scan a slow VOF is cut off.
    public struct BolusValues: Sendable, Codable, Equatable {
        public let aifArrivalS: Double
        public let aifPeakTimeS: Double
        public let aifPeakDeltaHU: Double
        public let aifAreaHUSeconds: Double
    }

    public let scenario: String
    public let voxelVolumeML: Double
    public let tissueDensityGPerML: Double
    public let hematocritFactorKH: Double
    /// "left", "right", or nil for a healthy study.
    public let affectedSide: String?

    public let brainVoxels: Int
    public let brainVolumeML: Double
    public let tmaxOver4sVoxels: Int, tmaxOver6sVoxels: Int, tmaxOver8sVoxels: Int, tmaxOver10sVoxels: Int
    public let tmaxOver4sVolumeML: Double, tmaxOver6sVolumeML: Double, tmaxOver8sVolumeML: Double, tmaxOver10sVolumeML: Double
    /// Hypoperfusion = Tmax > 6 s.
    public let hypoperfusionVolumeML: Double
    /// rCBF < `coreRelativeCBFThreshold` and Tmax > 6 s.
    public let coreVoxels: Int
    public let coreVolumeML: Double
    public let penumbraVoxels: Int
    public let penumbraVolumeML: Double
    public let oligaemiaVoxels: Int
    public let oligaemiaVolumeML: Double
    /// Hypoperfusion - core.
    public let mismatchVolumeML: Double
    /// Hypoperfusion / core; nil (with `mismatchRatioNullReason`) when the core is 0.
    public let mismatchRatio: Double?
    public let mismatchRatioNullReason: String?
    /// Core < 70 mL, ratio >= 1.8, mismatch >= 15 mL (a zero core with mismatch counts as an infinite ratio).
    public let defuse3TargetMismatch: Bool
    /// Core < 70 mL, ratio > 1.2, mismatch > 10 mL.
    public let extendIATargetMismatch: Bool
    /// Penumbra / hypoperfusion x 100; nil without hypoperfusion.
    public let prrPercent: Double?
    /// HIR = V(Tmax > 10 s) / V(Tmax > 6 s); nil without hypoperfusion.
    public let hypoperfusionIntensityRatio: Double?
    /// V(Tmax > 4 s) / V(Tmax > 6 s); nil without hypoperfusion.
    public let compensationIndex: Double?
    /// Mean CBV in Tmax > 6 s / mean CBV of the reference tissue.
    public let cbvIndexConventional: Double?
    public let cbvIndexConventionalLesionVoxels: Int
    public let cbvIndexConventionalReferenceVoxels: Int
    /// Mean CBV of cortical grey matter in Tmax > 6 s / mean CBV of cortical grey matter in the
    /// mirrored contralateral region (contralateral cortical GM voxels whose mirror image across
    /// the mid-sagittal plane falls, by nearest voxel, in Tmax > 6 s).
    public let cbvIndexCorrected: Double?
    public let cbvIndexCorrectedLesionCortexVoxels: Int
    public let cbvIndexCorrectedContralateralCortexVoxels: Int
    public let reference: ReferenceTissue
    public let coreRelativeCBFThreshold: Double
    public let hypoperfusionTmaxThresholdS: Double
    public let venous: VenousValues
    public let midSagittalPlane: MidSagittalPlane
    /// Largest displacement of any brain voxel centre in any frame relative to frame 0, mm.
    public let motionMaxDisplacementMM: Double
    /// Normal grey matter (cortex and deep nuclei) and white matter.
    public let greyMatter: TissueValues
    public let whiteMatter: TissueValues
    /// Every region present in the brain, normal first.
    public let regions: [RegionValues]
    public let bolus: BolusValues
}

/// Masks and metrics from `TruthMaps`.
struct TruthMetricsCalculator {
    let maps: TruthMaps
    let plane: MidSagittalPlane
    let lesionSide: LesionSide?

    static let coreRelativeCBFThreshold = 0.30
    static let hypoperfusionTmaxS = 6.0
    static let pvtThresholdS = 10.0

    struct Masks { var brain, core, penumbra, oligaemia, hypoperfusion: [Float] }

    func compute(scenario: PerfusionScenario, bolus: BolusModel,
                 motionMaxDisplacementMM: Double) -> (masks: Masks, metrics: PhantomTruthMetrics) {
        let grid = maps.grid, n = grid.voxelCount, voxelML = grid.voxelVolumeML
        let lesionSign: Int8? = lesionSide.map { $0 == .left ? 1 : -1 }
        func ml(_ count: Int) -> Double { Double(count) * voxelML }
        func ratio(_ a: Double, _ b: Double) -> Double? { b > 0 ? a / b : nil }

        // Reference: brain of the unaffected hemisphere (both without a lesion) with Tmax < 4 s.
        var refCBF = 0.0, refCBV = 0.0, refCount = 0
        for v in 0..<n where maps.isBrain(v) && maps.tmax[v] < 4 {
            if let s = lesionSign, maps.hemisphere[v] != -s { continue }
            refCBF += Double(maps.cbf[v]); refCBV += Double(maps.cbv[v]); refCount += 1
        }
        let refMeanCBF = refCount > 0 ? refCBF / Double(refCount) : 0
        let refMeanCBV = refCount > 0 ? refCBV / Double(refCount) : 0

        var masks = Masks(brain: [Float](repeating: 0, count: n), core: [], penumbra: [], oligaemia: [], hypoperfusion: [])
        masks.core = masks.brain; masks.penumbra = masks.brain; masks.oligaemia = masks.brain; masks.hypoperfusion = masks.brain
        var brain = 0, over4 = 0, over6 = 0, over8 = 0, over10 = 0, core = 0, oligaemia = 0
        var lesionCBV = 0.0
        for v in 0..<n where maps.isBrain(v) {
            brain += 1; masks.brain[v] = 1
            let t = maps.tmax[v]
            if t > 4 { over4 += 1 }
            if t > 8 { over8 += 1 }
            if t > 10 { over10 += 1 }
            if t > 4 && t <= 6 { oligaemia += 1; masks.oligaemia[v] = 1 }
            guard t > 6 else { continue }
            over6 += 1; masks.hypoperfusion[v] = 1
            lesionCBV += Double(maps.cbv[v])
            if refMeanCBF > 0 && Double(maps.cbf[v]) / refMeanCBF < Self.coreRelativeCBFThreshold {
                core += 1; masks.core[v] = 1
            } else {
                masks.penumbra[v] = 1
            }
        }
        let penumbra = over6 - core
        let hypoML = ml(over6), coreML = ml(core), mismatchML = hypoML - coreML
        let mismatchRatio = ratio(hypoML, coreML)
        let ratioOrInfinity = mismatchRatio ?? (hypoML > 0 ? .infinity : 0)
        let corrected = correctedCBVIndex(hypoperfusion: masks.hypoperfusion, lesionSign: lesionSign)

        let regionValues: [PhantomTruthMetrics.RegionValues] = PerfusionRegion.allCases.compactMap { r in
            let count = (0..<n).reduce(0) { $0 + (maps.isBrain($1) && maps.regions[$1] == r.rawValue ? 1 : 0) }
            guard count > 0, let gm = TissuePerfusion.dynamics(.greyMatter, r),
                  let wm = TissuePerfusion.dynamics(.whiteMatter, r) else { return nil }
            return .init(region: r.name, greyMatter: .init(gm), whiteMatter: .init(wm), voxels: count, volumeML: ml(count))
        }
        let venousTmaxS = bolus.venousTransit.modeS
        let metrics = PhantomTruthMetrics(
            scenario: scenario.rawValue, voxelVolumeML: voxelML,
            tissueDensityGPerML: PerfusionConstants.tissueDensityGPerML,
            hematocritFactorKH: PerfusionConstants.hematocritFactorKH,
            affectedSide: lesionSide?.rawValue,
            brainVoxels: brain, brainVolumeML: ml(brain),
            tmaxOver4sVoxels: over4, tmaxOver6sVoxels: over6, tmaxOver8sVoxels: over8, tmaxOver10sVoxels: over10,
            tmaxOver4sVolumeML: ml(over4), tmaxOver6sVolumeML: hypoML, tmaxOver8sVolumeML: ml(over8),
            tmaxOver10sVolumeML: ml(over10), hypoperfusionVolumeML: hypoML,
            coreVoxels: core, coreVolumeML: coreML, penumbraVoxels: penumbra, penumbraVolumeML: ml(penumbra),
            oligaemiaVoxels: oligaemia, oligaemiaVolumeML: ml(oligaemia),
            mismatchVolumeML: mismatchML, mismatchRatio: mismatchRatio,
            mismatchRatioNullReason: mismatchRatio == nil ? "core volume is 0 mL" : nil,
            defuse3TargetMismatch: coreML < 70 && ratioOrInfinity >= 1.8 && mismatchML >= 15,
            extendIATargetMismatch: coreML < 70 && ratioOrInfinity > 1.2 && mismatchML > 10,
            prrPercent: ratio(Double(penumbra) * 100, Double(over6)),
            hypoperfusionIntensityRatio: ratio(Double(over10), Double(over6)),
            compensationIndex: ratio(Double(over4), Double(over6)),
            cbvIndexConventional: over6 > 0 && refMeanCBV > 0 ? (lesionCBV / Double(over6)) / refMeanCBV : nil,
            cbvIndexConventionalLesionVoxels: over6, cbvIndexConventionalReferenceVoxels: refCount,
            cbvIndexCorrected: corrected.index,
            cbvIndexCorrectedLesionCortexVoxels: corrected.lesionVoxels,
            cbvIndexCorrectedContralateralCortexVoxels: corrected.contralateralVoxels,
            reference: .init(hemisphere: lesionSide.map { $0 == .left ? "right" : "left" } ?? "both",
                             cbfMLPer100gPerMin: refMeanCBF, cbvMLPer100g: refMeanCBV, voxels: refCount),
            coreRelativeCBFThreshold: Self.coreRelativeCBFThreshold,
            hypoperfusionTmaxThresholdS: Self.hypoperfusionTmaxS,
            venous: .init(sinusTmaxS: venousTmaxS, torculaTmaxS: venousTmaxS, pvtThresholdS: Self.pvtThresholdS,
                          prolongedVenousTransit: venousTmaxS >= Self.pvtThresholdS,
                          sinusVoxels: maps.sinus.reduce(0) { $0 + Int($1) },
                          torculaVoxels: maps.torcula.reduce(0) { $0 + Int($1) }),
            midSagittalPlane: plane, motionMaxDisplacementMM: motionMaxDisplacementMM,
            greyMatter: .init(TissuePerfusion.normalGreyMatter), whiteMatter: .init(TissuePerfusion.normalWhiteMatter),
            regions: regionValues,
            bolus: .init(aifArrivalS: bolus.aif.arrivalS, aifPeakTimeS: bolus.aif.peakTimeS,
                         aifPeakDeltaHU: bolus.aif.peakDeltaHU, aifAreaHUSeconds: bolus.aif.areaHUSeconds))
        return (masks, metrics)
    }

    /// Corrected CBV index: mean CBV of cortical GM in Tmax > 6 s over mean CBV of the
    /// contralateral cortical GM voxels whose mirror image (nearest voxel) is in Tmax > 6 s.
    private func correctedCBVIndex(hypoperfusion: [Float], lesionSign: Int8?)
        -> (index: Double?, lesionVoxels: Int, contralateralVoxels: Int) {
        guard let lesionSign, let toIndex = maps.grid.affineLPS.inverse else { return (nil, 0, 0) }
        let g = maps.grid, cortex = TissueLabel.greyMatter.rawValue
        var lesionSum = 0.0, lesionCount = 0, contraSum = 0.0, contraCount = 0
        for k in 0..<g.nz {
            for j in 0..<g.ny {
                for i in 0..<g.nx {
                    let v = g.index(i, j, k)
                    guard maps.labels[v] == cortex else { continue }
                    if maps.hemisphere[v] == lesionSign {
                        if hypoperfusion[v] > 0 { lesionSum += Double(maps.cbv[v]); lesionCount += 1 }
                    } else if maps.hemisphere[v] == -lesionSign {
                        let m = toIndex.apply(plane.reflect(g.positionLPS(i: Double(i), j: Double(j), k: Double(k))))
                        let mi = Int(m.x.rounded()), mj = Int(m.y.rounded()), mk = Int(m.z.rounded())
                        guard (0..<g.nx).contains(mi), (0..<g.ny).contains(mj), (0..<g.nz).contains(mk),
                              hypoperfusion[g.index(mi, mj, mk)] > 0 else { continue }
                        contraSum += Double(maps.cbv[v]); contraCount += 1
                    }
                }
            }
        }
        guard lesionCount > 0, contraCount > 0, contraSum > 0 else { return (nil, lesionCount, contraCount) }
        return ((lesionSum / Double(lesionCount)) / (contraSum / Double(contraCount)), lesionCount, contraCount)
    }
}
