import Foundation
import Imaging

/// What a vessel contains, which decides its time course.
enum VesselKind: Int, CaseIterable, Sendable {
    case none = 0
    /// Patent artery: shows the arterial input function.
    case artery
    /// Artery distal to the occlusion, filled late by collaterals (delayed, dispersed AIF).
    case collateralArtery
    /// Thrombus: about 55 HU, never enhances.
    case clot
    case superiorSagittalSinus
    case torcula
    case transverseSinus

    var label: TissueLabel {
        switch self {
        case .none: .air   // never used: a voxel without vessel takes its material's label
        case .artery, .collateralArtery: .artery
        case .clot: .clot
        case .superiorSagittalSinus, .torcula, .transverseSinus: .sinus
        }
    }

    var isVein: Bool { self == .superiorSagittalSinus || self == .torcula || self == .transverseSinus }

    /// Unenhanced attenuation of the vessel's content, HU.
    var baselineHU: Double { self == .clot ? 55 : 42 }
}

/// A vessel segment: the points within `radiusMM` of the segment a–b (head frame, mm).
struct Capsule: Sendable {
    let a: Vector3, b: Vector3
    let radiusMM: Double
    let kind: VesselKind
    let boxMin: Vector3, boxMax: Vector3
    private let ab: Vector3, abLength2: Double

    init(_ a: Vector3, _ b: Vector3, radiusMM: Double, kind: VesselKind) {
        self.a = a; self.b = b; self.radiusMM = radiusMM; self.kind = kind
        ab = b - a
        abLength2 = max(ab.dot(ab), 1e-12)
        boxMin = Vector3(min(a.x, b.x), min(a.y, b.y), min(a.z, b.z)) - Vector3(radiusMM, radiusMM, radiusMM)
        boxMax = Vector3(max(a.x, b.x), max(a.y, b.y), max(a.z, b.z)) + Vector3(radiusMM, radiusMM, radiusMM)
    }

    /// Squared distance (mm^2) from p to the segment's axis.
    @inline(__always) func axisDistance2(_ p: Vector3) -> Double {
        let ap = p - a
        let t = min(1, max(0, ap.dot(ab) / abLength2))
        let d = ap - ab * t
        return d.dot(d)
    }

    @inline(__always) func contains(_ p: Vector3) -> Bool { axisDistance2(p) < radiusMM * radiusMM }

    /// True when p is inside the bounding box grown by `marginMM`.
    @inline(__always) func boxContains(_ p: Vector3, marginMM m: Double) -> Bool {
        p.x > boxMin.x - m && p.x < boxMax.x + m && p.y > boxMin.y - m && p.y < boxMax.y + m
            && p.z > boxMin.z - m && p.z < boxMax.z + m
    }
}

/// The vessels of the head: internal carotids, M1/M2 MCA segments and A1/A2 ACAs on both
/// sides; superior sagittal sinus, torcula and transverse sinuses. With a lesion side, that
/// side's distal M1 is thrombus and its M2 branches fill late through collaterals.
enum VesselTree {
    static func capsules(lesionSide: Double?) -> [Capsule] {
        var clots: [Capsule] = [], others: [Capsule] = []
        for side in [1.0, -1.0] {
            let occluded = lesionSide == side
            func p(_ x: Double, _ y: Double, _ z: Double) -> Vector3 { Vector3(side * x, y, z) }
            let m2Kind: VesselKind = occluded ? .collateralArtery : .artery
            others.append(Capsule(p(13, -6, -70), p(13, -6, -42), radiusMM: 2.2, kind: .artery))   // ICA
            others.append(Capsule(p(13, -6, -42), p(30, -4, -40), radiusMM: 1.8, kind: .artery))   // M1 proximal
            let m1Distal = Capsule(p(30, -4, -40), p(45, 0, -37), radiusMM: 1.8, kind: occluded ? .clot : .artery)
            if occluded { clots.append(m1Distal) } else { others.append(m1Distal) }
            others += polyline([p(45, 0, -37), p(42, -8, -14), p(45, -14, 8)], radiusMM: 1.5, kind: m2Kind)
            others += polyline([p(45, 0, -37), p(48, 12, -22), p(51, 26, -8)], radiusMM: 1.5, kind: m2Kind)
            others.append(Capsule(p(13, -6, -42), p(2.5, -22, -38), radiusMM: 1.5, kind: .artery))  // A1
            others += polyline([p(2.5, -22, -38), p(2.5, -40, -16), p(2.5, -44, 8), p(2.5, -28, 30)],
                               radiusMM: 1.5, kind: .artery)                                           // A2
            // Transverse sinus: along the inner skull at about z = -40, from the torcula forward.
            others += polyline([5, 35, 65].map { innerSurfacePoint(side: side, azimuthFromPosteriorDeg: $0,
                                                                   zMM: -39, depthMM: 15) },
                               radiusMM: 3.5, kind: .transverseSinus)
        }
        others.append(Capsule(Vector3(-7, 72.5, -38), Vector3(7, 72.5, -38), radiusMM: 5.5, kind: .torcula))
        others += superiorSagittalSinus()
        return clots + others   // clot first: it wins where it meets the patent M1
    }

    /// The superior sagittal sinus: a midline arc just inside the inner table, from anterior
    /// (radius 2.5 mm) over the vertex down to the torcula (radius 4 mm).
    private static func superiorSagittalSinus() -> [Capsule] {
        let anglesDeg = stride(from: 170.0, through: -20.0, by: -10.0).map { $0 }
        var result: [Capsule] = []
        for n in 0..<(anglesDeg.count - 1) {
            let w = Double(n) / Double(anglesDeg.count - 2)
            let radiusMM = 2.5 + 1.5 * w
            let depthMM = HeadAnatomy.innerTableEndMM + radiusMM + 0.5
            func point(_ deg: Double) -> Vector3 {
                let s = HeadAnatomy.scalp
                let phi = deg * .pi / 180
                return Vector3(0, (s.semiAxesMM.y - depthMM) * cos(phi), s.centre.z + (s.semiAxesMM.z - depthMM) * sin(phi))
            }
            result.append(Capsule(point(anglesDeg[n]), point(anglesDeg[n + 1]), radiusMM: radiusMM,
                                  kind: .superiorSagittalSinus))
        }
        return result
    }

    /// A point about `depthMM` inside the scalp surface at height zMM, at an azimuth measured
    /// from the posterior midline towards `side` (+1 left, -1 right).
    private static func innerSurfacePoint(side: Double, azimuthFromPosteriorDeg deg: Double,
                                          zMM: Double, depthMM: Double) -> Vector3 {
        let s = HeadAnatomy.scalp
        let a = s.semiAxesMM.x - depthMM, b = s.semiAxesMM.y - depthMM, c = s.semiAxesMM.z - depthMM
        let w = (zMM - s.centre.z) / c
        let f = (1 - w * w).squareRoot()
        let phi = deg * .pi / 180
        return Vector3(side * a * f * sin(phi), b * f * cos(phi), zMM)
    }

    private static func polyline(_ points: [Vector3], radiusMM: Double, kind: VesselKind) -> [Capsule] {
        (0..<(points.count - 1)).map { Capsule(points[$0], points[$0 + 1], radiusMM: radiusMM, kind: kind) }
    }
}

/// Partial-volume sampling of vessels: the fraction of a voxel each vessel kind fills,
/// from a regular 4 x 4 x 5 sub-grid of points spread over the voxel (i, j, k).
struct VesselSampler: Sendable {
    /// Fill fractions are quantised to multiples of 1 / levels.
    static let levels = 20
    static let subI = 4, subJ = 4, subK = 5

    /// Sub-sample offsets from the voxel centre in LPS (mm) for a grid's voxel shape.
    static func offsetsLPS(grid: Grid) -> [Vector3] {
        let a = grid.affineLPS
        var result: [Vector3] = []
        for sk in 0..<subK {
            for sj in 0..<subJ {
                for si in 0..<subI {
                    let oi = (Double(si) + 0.5) / Double(subI) - 0.5
                    let oj = (Double(sj) + 0.5) / Double(subJ) - 0.5
                    let ok = (Double(sk) + 0.5) / Double(subK) - 0.5
                    result.append(a.columnI * oi + a.columnJ * oj + a.columnK * ok)
                }
            }
        }
        return result
    }

    /// Dominant vessel kind in the voxel and its fill level (0...levels); (.none, 0) if none.
    /// `centre` and `offsets` are in the head frame; `candidates` are capsules near this slice.
    static func fill(centre: Vector3, offsets: [Vector3], reachMM: Double,
                     candidates: [Capsule]) -> (kind: VesselKind, level: Int) {
        @inline(__always) func isNear(_ c: Capsule) -> Bool {
            guard c.boxContains(centre, marginMM: reachMM) else { return false }
            let r = c.radiusMM + reachMM
            return c.axisDistance2(centre) < r * r
        }
        // Most voxels are far from every vessel: decide that without allocating.
        guard candidates.contains(where: isNear) else { return (.none, 0) }
        let near = candidates.filter(isNear)
        var counts = [Int](repeating: 0, count: VesselKind.allCases.count)
        for o in offsets {
            let p = centre + o
            for c in near where c.contains(p) {
                counts[c.kind.rawValue] += 1
                break
            }
        }
        var best = 0
        for k in 1..<counts.count where counts[k] > counts[best] { best = k }
        let level = Int((Double(counts[best]) * Double(levels) / Double(offsets.count)).rounded())
        return best == 0 || level == 0 ? (.none, 0) : (VesselKind(rawValue: best)!, level)
    }
}
