import Foundation
import Imaging

/// Where the head sits in patient space and how the acquisition grid is laid out.
///
/// The analytic anatomy lives in a *head frame* (mm): origin on the mid-sagittal plane at the
/// centre of the default 100 mm slab, axes those of LPS before the head's yaw (+x left,
/// +y posterior, +z superior). The head is placed off the scanner axis and turned slightly, so
/// the mid-sagittal plane is not the array's centre column.
public enum PhantomGeometry {
    /// Head-frame origin in LPS, mm (frame 0's pose): 4 mm left, 6 mm anterior of the isocentre.
    public static let headOriginLPS = Vector3(4.0, -6.0, 40.0)
    /// Yaw of the head about +z (LPS), degrees (frame 0's pose).
    public static let headYawDegrees = 4.0
    /// The field of view is centred on the scanner axis (x = y = 0) at the slab centre.
    public static let fieldOfViewCentreLPS = Vector3(0, 0, headOriginLPS.z)

    /// The acquisition grid for a spec: pixel spacing fieldOfViewMM / matrix; row direction
    /// (1, 0, 0), column direction (0, cos θ, sin θ) with θ the gantry tilt; slices step by
    /// (0, 0, sliceThicknessMM) along the table; the centre voxel sits on `fieldOfViewCentreLPS`.
    public static func acquisitionGrid(matrix: Int, slices: Int, sliceThicknessMM: Double,
                                       fieldOfViewMM: Double, gantryTiltDegrees: Double) -> Grid {
        let spacingMM = fieldOfViewMM / Double(matrix)
        let tiltRad = gantryTiltDegrees * .pi / 180
        let columnI = Vector3(spacingMM, 0, 0)
        let columnJ = Vector3(0, cos(tiltRad), sin(tiltRad)) * spacingMM
        let columnK = Vector3(0, 0, sliceThicknessMM)
        let half = Double(matrix - 1) / 2
        let origin = fieldOfViewCentreLPS - columnI * half - columnJ * half
            - columnK * (Double(slices - 1) / 2)
        return Grid(nx: matrix, ny: matrix, nz: slices,
                    affineLPS: Affine(columnI: columnI, columnJ: columnJ, columnK: columnK, origin: origin))
    }

    /// The grid of a spec (see `acquisitionGrid`).
    public static func grid(for spec: PhantomSpec) -> Grid {
        acquisitionGrid(matrix: spec.matrix, slices: spec.slices, sliceThicknessMM: spec.sliceThicknessMM,
                        fieldOfViewMM: spec.fieldOfViewMM, gantryTiltDegrees: spec.gantryTiltDegrees)
    }

    /// Frame-0 pose of the head.
    static let restingPose = HeadPose(originLPS: headOriginLPS, yawRad: headYawDegrees * .pi / 180)

    /// True frame times (s, first frame at 0): uniform, or for `variableSampling` the first
    /// ceil(frames/2) intervals at 0.75 x intervalS and the rest at 1.5 x intervalS.
    static func frameTimes(for spec: PhantomSpec) -> [Double] {
        guard spec.scenario == .variableSampling else {
            return (0..<spec.frames).map { Double($0) * spec.intervalS }
        }
        let fastFrames = (spec.frames + 1) / 2
        var times = [0.0]
        for f in 1..<spec.frames {
            times.append(times[f - 1] + (f < fastFrames ? 0.75 : 1.5) * spec.intervalS)
        }
        return times
    }
}

/// Rigid placement of the head frame in LPS: world = originLPS + Rz(yaw) * head.
/// In-plane (axial) only: rotation about +z, translation in x and y.
struct HeadPose: Sendable, Equatable {
    var originLPS: Vector3
    var yawRad: Double

    /// LPS (mm) -> head frame (mm).
    @inline(__always) func toHead(_ pLPS: Vector3) -> Vector3 {
        let c = cos(yawRad), s = sin(yawRad)
        let d = pLPS - originLPS
        return Vector3(c * d.x + s * d.y, -s * d.x + c * d.y, d.z)
    }

    /// Rotate a displacement (not a point) from LPS into the head frame.
    @inline(__always) func directionToHead(_ vLPS: Vector3) -> Vector3 {
        let c = cos(yawRad), s = sin(yawRad)
        return Vector3(c * vLPS.x + s * vLPS.y, -s * vLPS.x + c * vLPS.y, vLPS.z)
    }

    /// Head frame (mm) -> LPS (mm).
    func toLPS(_ pHead: Vector3) -> Vector3 {
        let c = cos(yawRad), s = sin(yawRad)
        return originLPS + Vector3(c * pHead.x - s * pHead.y, s * pHead.x + c * pHead.y, pHead.z)
    }

    /// The head moved rigidly in-plane: rotated by `rotationRad` about the head origin, then
    /// shifted by (dxMM, dyMM) in LPS.
    func moved(dxMM: Double, dyMM: Double, rotationRad: Double) -> HeadPose {
        HeadPose(originLPS: originLPS + Vector3(dxMM, dyMM, 0), yawRad: yawRad + rotationRad)
    }

    /// Distance (mm) a point fixed to the head at `pLPS` in `reference` moves in this pose.
    func displacementMM(of pLPS: Vector3, from reference: HeadPose) -> Double {
        (toLPS(reference.toHead(pLPS)) - pLPS).length
    }
}

/// The head-motion schedule of the `motion` scenario: an abrupt jerk held for three frames at
/// about 40 % of the series (1.5 mm left-anterior shift plus 0.8 degrees) and a slow drift over
/// the last quarter. Other frames are at rest. No brain point moves 3 mm or more.
enum MotionSchedule {
    /// Abrupt displacement: translation (mm, LPS) and in-plane rotation (degrees).
    static let jerkMM = (dx: 1.2, dy: -0.9)
    static let jerkDegrees = 0.8
    /// Slow drift reached at the last frame.
    static let driftMM = (dx: -0.6, dy: 0.7)
    static let driftDegrees = -0.5

    /// Pose of every frame; frame 0 is always at rest.
    static func poses(frames: Int, rest: HeadPose) -> [HeadPose] {
        let jerkStart = max(1, Int((0.4 * Double(frames)).rounded()))
        let driftStart = max(jerkStart + 3, Int((0.75 * Double(frames)).rounded()))
        return (0..<frames).map { f in
            if f >= jerkStart && f < jerkStart + 3 {
                return rest.moved(dxMM: jerkMM.dx, dyMM: jerkMM.dy, rotationRad: jerkDegrees * .pi / 180)
            }
            if f >= driftStart && frames - 1 > driftStart {
                let w = Double(f - driftStart) / Double(frames - 1 - driftStart)
                return rest.moved(dxMM: w * driftMM.dx, dyMM: w * driftMM.dy,
                                  rotationRad: w * driftDegrees * .pi / 180)
            }
            return rest
        }
    }
}
