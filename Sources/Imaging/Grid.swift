import Foundation

/// A regular 3D voxel grid in DICOM order: i along the image row (columns), j down the image
/// (rows), k along the slice stack in ascending position along the slice normal.
/// `affineLPS` maps voxel centres (i, j, k) to patient LPS millimetres. With gantry tilt the
/// k column is not perpendicular to the image plane (a sheared affine), exactly as the DICOM
/// positions say.
public struct Grid: Sendable, Equatable, Codable {
    public var nx: Int   // columns
    public var ny: Int   // rows
    public var nz: Int   // slices
    public var affineLPS: Affine

    public init(nx: Int, ny: Int, nz: Int, affineLPS: Affine) {
        self.nx = nx; self.ny = ny; self.nz = nz; self.affineLPS = affineLPS
    }

    public var voxelsPerSlice: Int { nx * ny }
    public var voxelCount: Int { nx * ny * nz }

    /// Voxel spacing in mm along i, j, k (lengths of the affine columns).
    public var spacingMM: Vector3 {
        Vector3(affineLPS.columnI.length, affineLPS.columnJ.length, affineLPS.columnK.length)
    }

    /// Volume of one voxel in mL (|det| of the linear part, mm^3 / 1000). Correct under shear.
    public var voxelVolumeML: Double { abs(affineLPS.determinant3) / 1000.0 }

    /// Unit normal of the image plane (row x column direction), LPS.
    public var sliceNormalLPS: Vector3 { affineLPS.columnI.cross(affineLPS.columnJ).normalized }

    /// Distance between slices measured along the slice normal, mm.
    public var sliceSpacingAlongNormalMM: Double { abs(affineLPS.columnK.dot(sliceNormalLPS)) }

    /// Gantry tilt in degrees: angle between the slice-stacking direction and the normal.
    public var tiltDegrees: Double {
        let k = affineLPS.columnK
        guard k.length > 0 else { return 0 }
        let c = min(1, abs(k.normalized.dot(sliceNormalLPS)))
        return acos(c) * 180 / .pi
    }

    /// World position (LPS, mm) of a voxel centre.
    public func positionLPS(i: Double, j: Double, k: Double) -> Vector3 {
        affineLPS.apply(Vector3(i, j, k))
    }

    @inlinable public func index(_ i: Int, _ j: Int, _ k: Int) -> Int { i + nx * (j + ny * k) }
}

