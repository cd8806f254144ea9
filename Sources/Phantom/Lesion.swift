import Foundation
import Imaging

/// Perfusion state of brain tissue (`PhantomTruth.regions` holds the raw values).
public enum PerfusionRegion: UInt8, Sendable, CaseIterable, Codable {
    case normal = 0
    /// Benign oligaemia: Tmax 5 s (between the 4 s and 6 s thresholds).
    case oligaemia = 1
    /// Penumbra with Tmax 7.5 s (> 6, < 8 s).
    case penumbraModerate = 2
    /// Penumbra with Tmax 11 s (> 10 s).
    case penumbraSevere = 3
    /// Ischaemic core: Tmax 12 s and rCBF well below 0.30.
    case core = 4

    public var name: String {
        switch self {
        case .normal: "normal"
        case .oligaemia: "oligaemia"
        case .penumbraModerate: "penumbra-moderate"
        case .penumbraSevere: "penumbra-severe"
        case .core: "core"
        }
    }
}

/// Which side a lesion is on (patient left = +x in LPS).
public enum LesionSide: String, Sendable, Codable {
    case left, right

    /// +1 for left (+x LPS), -1 for right.
    var sign: Double { self == .left ? 1 : -1 }
}

/// A lesion in one hemisphere's MCA territory: nested ellipsoids (head frame, mm), innermost
/// wins; restricted to brain lateral to the interhemispheric fissure on the lesion side.
struct Lesion: Sendable {
    let side: LesionSide
    let core: Ellipsoid, severe: Ellipsoid, moderate: Ellipsoid, oligaemia: Ellipsoid

    /// Region of a brain point (head frame).
    @inline(__always) func region(at p: Vector3) -> PerfusionRegion {
        guard p.x * side.sign > HeadAnatomy.fissureHalfWidthMM else { return .normal }
        if core.contains(p) { return .core }
        if severe.contains(p) { return .penumbraSevere }
        if moderate.contains(p) { return .penumbraModerate }
        if oligaemia.contains(p) { return .oligaemia }
        return .normal
    }

    /// Lesion sizes. Volumes at 256 x 256 x 20 x 5 mm are in the scenario table of the report
    /// and are recomputed exactly by voxel counting in `PhantomTruthMetrics`.
    enum Size: Sendable { case standard, large, small }

    init(side: LesionSide, size: Size) {
        self.side = side
        let s = side.sign
        func e(_ x: Double, _ y: Double, _ z: Double, _ ax: Double, _ ay: Double, _ az: Double) -> Ellipsoid {
            Ellipsoid(centre: Vector3(s * x, y, z), semiAxesMM: Vector3(ax, ay, az))
        }
        switch size {
        case .standard:
            core = e(36, -2, -8, 15.5, 21, 14.5)
            severe = e(40, 0, -4, 18, 26, 17)
            moderate = e(40, 2, -2, 24, 36, 24)
            oligaemia = e(38, 2, 0, 30, 46, 32)
        case .large:
            core = e(36, 0, -4, 24, 36, 24)
            severe = e(38, 2, -2, 28, 44, 28)
            moderate = e(38, 4, 0, 32, 52, 33)
            oligaemia = e(36, 4, 2, 36, 58, 38)
        case .small:
            core = e(40, -2, -8, 10, 12, 10)
            severe = e(40, 0, -4, 17, 26, 16)
            moderate = e(40, 2, -2, 26, 40, 26)
            oligaemia = e(38, 2, 0, 31, 48, 32)
        }
    }
}
