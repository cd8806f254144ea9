import Foundation

/// What a scenario changes: the lesion (side and size), venous transit, motion, sampling.
///
/// | scenario          | lesion          | venous Tmax | other                      |
/// |-------------------|-----------------|-------------|----------------------------|
/// | healthy           | none            | 6.5 s       |                            |
/// | stroke-left       | left, standard  | 6.5 s       |                            |
/// | stroke-right      | right, standard | 6.5 s       |                            |
/// | large-core        | left, large     | 12 s (PVT)  |                            |
/// | small-core        | right, small    | 6.5 s       |                            |
/// | pvt               | left, standard  | 12 s (PVT)  |                            |
/// | motion            | left, standard  | 6.5 s       | rigid in-plane motion      |
/// | variable-sampling | right, standard | 6.5 s       | 0.75x then 1.5x intervalS  |
struct ScenarioConfig: Sendable {
    let lesion: Lesion?
    let venousTransit: VenousTransit
    let hasMotion: Bool

    /// Venous Tmax (mode of the transit density), s.
    static let normalVenousTmaxS = 6.5
    static let prolongedVenousTmaxS = 12.0

    init(_ scenario: PerfusionScenario) {
        let normal = VenousTransit(modeS: Self.normalVenousTmaxS)
        let prolonged = VenousTransit(modeS: Self.prolongedVenousTmaxS)
        switch scenario {
        case .healthy: (lesion, venousTransit) = (nil, normal)
        case .strokeLeft, .motion: (lesion, venousTransit) = (Lesion(side: .left, size: .standard), normal)
        case .strokeRight, .variableSampling: (lesion, venousTransit) = (Lesion(side: .right, size: .standard), normal)
        case .largeCore: (lesion, venousTransit) = (Lesion(side: .left, size: .large), prolonged)
        case .smallCore: (lesion, venousTransit) = (Lesion(side: .right, size: .small), normal)
        case .pvt: (lesion, venousTransit) = (Lesion(side: .left, size: .standard), prolonged)
        }
        hasMotion = scenario == .motion
    }
}

/// True perfusion of every tissue: normal grey/white matter and the lesion's regions.
public enum TissuePerfusion {
    /// Normal grey matter (cortex and deep nuclei): CBF 60, CBV 4, MTT 4 s, Tmax 0.5 s.
    public static let normalGreyMatter = TissueDynamics(cbfMLPer100gPerMin: 60, mttS: 4.0, delayS: 0.5)
    /// Normal white matter: CBF 25, CBV 2, MTT 4.8 s, Tmax 0.8 s.
    public static let normalWhiteMatter = TissueDynamics(cbfMLPer100gPerMin: 25, mttS: 4.8, delayS: 0.8)
    /// Scalp and soft tissue: a little enhancement; not brain, so no truth value.
    static let scalp = TissueDynamics(cbfMLPer100gPerMin: 8, mttS: 6, delayS: 1)

    /// Region modifiers: CBF factor relative to normal, MTT (s) and delay = Tmax (s).
    public static func modifier(_ region: PerfusionRegion) -> (cbfFactor: Double, mttS: Double, delayS: Double)? {
        switch region {
        case .normal: nil
        case .oligaemia: (0.9, 5.0, 5.0)
        case .penumbraModerate: (0.7, 6.5, 7.5)
        case .penumbraSevere: (0.7, 6.5, 11.0)
        case .core: (0.15, 8.0, 12.0)
        }
    }

    /// Dynamics of a brain tissue label in a region; nil for anything that is not brain tissue.
    public static func dynamics(_ label: TissueLabel, _ region: PerfusionRegion) -> TissueDynamics? {
        let normal: TissueDynamics
        switch label {
        case .greyMatter, .deepGreyMatter: normal = normalGreyMatter
        case .whiteMatter: normal = normalWhiteMatter
        default: return nil
        }
        guard let m = modifier(region) else { return normal }
        return TissueDynamics(cbfMLPer100gPerMin: normal.cbfMLPer100gPerMin * m.cbfFactor, mttS: m.mttS, delayS: m.delayS)
    }

    /// Dynamics that drive a material's enhancement (brain tissue, or scalp); nil = never enhances.
    static func enhancement(_ material: Material, _ region: PerfusionRegion) -> TissueDynamics? {
        material == .scalp ? scalp : dynamics(material.label, region)
    }
}
