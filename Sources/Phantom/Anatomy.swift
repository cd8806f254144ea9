import Foundation
import Imaging

/// Tissue of a voxel in the truth labels (`PhantomTruth.labels` holds the raw values).
/// A voxel is labelled by the vessel filling at least half of it, else by the tissue at its centre.
public enum TissueLabel: UInt8, Sendable, CaseIterable, Codable {
    case air = 0
    case scalp = 1
    case skull = 2
    case csf = 3
    /// Cortical grey matter (surface ribbon, sulcal walls, medial cortex).
    case greyMatter = 4
    case whiteMatter = 5
    case artery = 6
    /// Dural venous sinus (superior sagittal, torcula, transverse).
    case sinus = 7
    /// Thrombus in the occluded M1.
    case clot = 8
    /// Deep grey nuclei (lentiform, caudate, thalamus); perfused like grey matter.
    case deepGreyMatter = 9

    /// Brain parenchyma: the tissue the perfusion maps are defined on.
    public var isBrainTissue: Bool { self == .greyMatter || self == .whiteMatter || self == .deepGreyMatter }
}

/// What fills a point of the head when vessels are ignored; several materials share a label
/// (the skull's tables and diploë are both `skull`).
enum Material: Int, CaseIterable, Sendable {
    case air, scalp, boneTable, boneDiploe, csf, greyMatter, deepGreyMatter, whiteMatter

    var label: TissueLabel {
        switch self {
        case .air: .air
        case .scalp: .scalp
        case .boneTable, .boneDiploe: .skull
        case .csf: .csf
        case .greyMatter: .greyMatter
        case .deepGreyMatter: .deepGreyMatter
        case .whiteMatter: .whiteMatter
        }
    }

    /// Unenhanced attenuation, HU.
    var baselineHU: Double {
        switch self {
        case .air: -1000
        case .scalp: 35
        case .boneTable: 1450
        case .boneDiploe: 1050
        case .csf: 5
        case .greyMatter: 40
        case .deepGreyMatter: 38
        case .whiteMatter: 28
        }
    }
}

/// An axis-aligned ellipsoid in the head frame (mm).
struct Ellipsoid: Sendable {
    var centre: Vector3
    var semiAxesMM: Vector3

    @inline(__always) func contains(_ p: Vector3) -> Bool {
        let u = (p.x - centre.x) / semiAxesMM.x, v = (p.y - centre.y) / semiAxesMM.y
        let w = (p.z - centre.z) / semiAxesMM.z
        return u * u + v * v + w * w < 1
    }

    /// The same ellipsoid mirrored to the given side of the mid-sagittal plane (x -> |x| * side).
    func onSide(_ side: Double) -> Ellipsoid {
        Ellipsoid(centre: Vector3(abs(centre.x) * side, centre.y, centre.z), semiAxesMM: semiAxesMM)
    }

    /// First-order signed distance (mm) from p inward to the surface: positive inside.
    @inline(__always) func depthMM(_ p: Vector3) -> Double {
        let ax = semiAxesMM.x, ay = semiAxesMM.y, az = semiAxesMM.z
        let u = (p.x - centre.x) / ax, v = (p.y - centre.y) / ay, w = (p.z - centre.z) / az
        let rho = (u * u + v * v + w * w).squareRoot()
        if rho < 0.25 { return 1e9 }   // deep inside: only shells near the surface need the value
        let gx = u / ax, gy = v / ay, gz = w / az
        let grad = (gx * gx + gy * gy + gz * gz).squareRoot() / rho
        return (1 - rho) / grad
    }
}

/// The analytic head, symmetric about the head frame's x = 0 plane (the mid-sagittal plane).
/// Shell depths are measured inward from the scalp surface.
enum HeadAnatomy {
    /// Outer surface of the scalp.
    static let scalp = Ellipsoid(centre: Vector3(0, 0, -12), semiAxesMM: Vector3(75, 95, 92))
    /// Depths (mm below the scalp surface) where each shell ends.
    static let scalpEndMM = 5.0, outerTableEndMM = 7.0, diploeEndMM = 9.0, innerTableEndMM = 11.0
    /// Subarachnoid CSF between inner table and brain surface.
    static let brainSurfaceMM = 13.0
    /// Thickness of the cortical ribbon, mm.
    static let cortexMM = 3.5

    /// Half-width of the interhemispheric fissure's CSF, mm.
    static let fissureHalfWidthMM = 1.2
    /// Inside this ellipsoid the midline holds corpus callosum and deep structures, not a fissure.
    static let midlineCore = Ellipsoid(centre: Vector3(0, 2, -20), semiAxesMM: Vector3(20, 34, 28))

    /// Sulci: radial clefts around the vertical axis, every `sulcusSpacingRad` of azimuth.
    static let sulcusSpacingRad = 10.0 * .pi / 180
    static let sulcusHalfWidthMM = 0.6

    static let ventricles: [Ellipsoid] = [
        Ellipsoid(centre: Vector3(10, 0, -6), semiAxesMM: Vector3(6.5, 26, 8)),
        Ellipsoid(centre: Vector3(-10, 0, -6), semiAxesMM: Vector3(6.5, 26, 8)),
        Ellipsoid(centre: Vector3(0, 4, -26), semiAxesMM: Vector3(2.2, 12, 9)),   // third ventricle
    ]
    static let deepGrey: [Ellipsoid] = [
        Ellipsoid(centre: Vector3(23, -2, -24), semiAxesMM: Vector3(7, 15, 10)),   // lentiform
        Ellipsoid(centre: Vector3(12, -20, -8), semiAxesMM: Vector3(5, 8, 8)),     // caudate head
        Ellipsoid(centre: Vector3(10, 14, -22), semiAxesMM: Vector3(8, 11, 8)),    // thalamus
    ].flatMap { [$0.onSide(1), $0.onSide(-1)] }

    /// Material at a head-frame point (vessels excluded).
    static func material(at p: Vector3) -> Material {
        let depth = scalp.depthMM(p)
        if depth <= 0 { return .air }
        if depth < scalpEndMM { return .scalp }
        if depth < outerTableEndMM { return .boneTable }
        if depth < diploeEndMM { return .boneDiploe }
        if depth < innerTableEndMM { return .boneTable }
        if depth < brainSurfaceMM { return .csf }
        return brainMaterial(at: p, brainDepthMM: depth - brainSurfaceMM)
    }

    /// Inside the brain surface: fissure, ventricles, deep nuclei, cortex (with sulci) or white matter.
    private static func brainMaterial(at p: Vector3, brainDepthMM db: Double) -> Material {
        let ax = abs(p.x)
        let hasFissure = !midlineCore.contains(p)
        if hasFissure && ax < fissureHalfWidthMM { return .csf }
        for v in ventricles where v.contains(p) { return .csf }
        for g in deepGrey where g.contains(p) { return .deepGreyMatter }
        if let s = sulcus(at: p, brainDepthMM: db) { return s }
        if db < cortexMM { return .greyMatter }
        if hasFissure && ax < fissureHalfWidthMM + cortexMM { return .greyMatter }
        return .whiteMatter
    }

    /// Sulcal CSF or the grey matter lining it, if p is within reach of a sulcus.
    private static func sulcus(at p: Vector3, brainDepthMM db: Double) -> Material? {
        let maxDepthMM = 16.0 + cortexMM
        guard db < maxDepthMM else { return nil }
        let rXY = (p.x * p.x + p.y * p.y).squareRoot()
        guard rXY > 1 else { return nil }
        // Azimuth of |x| so the pattern is mirror-symmetric; a slow phase wobble with height.
        let azimuth = atan2(p.y, abs(p.x)) - 0.12 * sin(p.z / 17)
        let n = (azimuth / sulcusSpacingRad).rounded()
        let distanceMM = rXY * abs(sin(azimuth - n * sulcusSpacingRad))
        let depthMM = sulcusDepthMM(n)
        if db < depthMM && distanceMM < sulcusHalfWidthMM { return .csf }
        if db < depthMM + cortexMM && distanceMM < sulcusHalfWidthMM + cortexMM { return .greyMatter }
        return nil
    }

    /// Depth of sulcus n, 9–16 mm, a fixed pseudo-random pattern.
    private static func sulcusDepthMM(_ n: Double) -> Double {
        let h = sin(n * 12.9898 + 4.1) * 43758.5453
        return 9 + 7 * (h - h.rounded(.down))
    }
}
