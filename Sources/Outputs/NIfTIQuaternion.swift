import Imaging

/// The NIfTI-1 qform: a rotation stored as the quaternion (b, c, d) with a = sqrt(1 - b² - c² - d²)
/// >= 0, a handedness factor qfac (pixdim[0], +1 or -1: -1 negates the k column), voxel sizes
/// pixdim[1...3] (mm) and an offset (qoffset_x/y/z, RAS mm).
///
/// `init(affineRAS:)` follows nifti_mat44_to_quatern of nifti1_io.c for an affine whose columns
/// are orthogonal (columns normalised, j made orthogonal to i, k = ±(i x j)); a sheared affine has
/// no qform — see `NIfTIGeometry.isSheared`. `affineRAS` follows nifti_quatern_to_mat44.
public struct NIfTIQuaternion: Sendable, Equatable {
    public var b: Double
    public var c: Double
    public var d: Double
    /// +1 for a right-handed voxel-to-RAS map, -1 for a left-handed one.
    public var qfac: Double
    /// Voxel sizes along i, j, k in mm (pixdim[1...3]).
    public var pixdim: Vector3
    /// RAS position of voxel (0, 0, 0) in mm (qoffset_x, qoffset_y, qoffset_z).
    public var offsetRAS: Vector3

    public init(b: Double, c: Double, d: Double, qfac: Double, pixdim: Vector3, offsetRAS: Vector3) {
        self.b = b; self.c = c; self.d = d
        self.qfac = qfac < 0 ? -1 : 1
        self.pixdim = pixdim
        self.offsetRAS = offsetRAS
    }

    /// The qform of a voxel-to-RAS affine with orthogonal columns (nifti_mat44_to_quatern).
    public init(affineRAS: Affine) {
        let ci = affineRAS.columnI, cj = affineRAS.columnJ, ck = affineRAS.columnK
        let u = ci.normalized
        let v = (cj - u * u.dot(cj)).normalized
        // The stored rotation is proper (k = i x j); a left-handed affine has qfac = -1, which
        // negates the k column again when the matrix is rebuilt.
        let w = u.cross(v)
        let handedness = ck.dot(w) < 0 ? -1.0 : 1.0
        let (r11, r21, r31) = (u.x, u.y, u.z)
        let (r12, r22, r32) = (v.x, v.y, v.z)
        let (r13, r23, r33) = (w.x, w.y, w.z)

        var a = r11 + r22 + r33 + 1
        var b: Double, c: Double, d: Double
        if a > 0.5 {
            a = 0.5 * a.squareRoot()
            b = 0.25 * (r32 - r23) / a
            c = 0.25 * (r13 - r31) / a
            d = 0.25 * (r21 - r12) / a
        } else {
            let xd = 1 + r11 - (r22 + r33)
            let yd = 1 + r22 - (r11 + r33)
            let zd = 1 + r33 - (r11 + r22)
            if xd > 1 {
                b = 0.5 * xd.squareRoot()
                c = 0.25 * (r12 + r21) / b
                d = 0.25 * (r13 + r31) / b
                a = 0.25 * (r32 - r23) / b
            } else if yd > 1 {
                c = 0.5 * yd.squareRoot()
                b = 0.25 * (r12 + r21) / c
                d = 0.25 * (r23 + r32) / c
                a = 0.25 * (r13 - r31) / c
            } else {
                d = 0.5 * zd.squareRoot()
                b = 0.25 * (r13 + r31) / d
                c = 0.25 * (r23 + r32) / d
                a = 0.25 * (r21 - r12) / d
            }
            if a < 0 { b = -b; c = -c; d = -d }
        }
        self.init(b: b, c: c, d: d, qfac: handedness,
                  pixdim: Vector3(ci.length, cj.length, ck.length), offsetRAS: affineRAS.origin)
    }

    /// The voxel-to-RAS affine this qform describes (nifti_quatern_to_mat44).
    public var affineRAS: Affine {
        var b = self.b, c = self.c, d = self.d
        var a = 1 - (b * b + c * c + d * d)
        if a < 1e-7 {
            // Special case of nifti1_io.c: a 180-degree rotation, renormalise (b, c, d).
            let s = 1 / (b * b + c * c + d * d).squareRoot()
            b *= s; c *= s; d *= s
            a = 0
        } else {
            a = a.squareRoot()
        }
        let xd = pixdim.x > 0 ? pixdim.x : 1
        let yd = pixdim.y > 0 ? pixdim.y : 1
        var zd = pixdim.z > 0 ? pixdim.z : 1
        if qfac < 0 { zd = -zd }
        let columnI = Vector3(a * a + b * b - c * c - d * d, 2 * (b * c + a * d), 2 * (b * d - a * c)) * xd
        let columnJ = Vector3(2 * (b * c - a * d), a * a + c * c - b * b - d * d, 2 * (c * d + a * b)) * yd
        let columnK = Vector3(2 * (b * d + a * c), 2 * (c * d - a * b), a * a + d * d - c * c - b * b) * zd
        return Affine(columnI: columnI, columnJ: columnJ, columnK: columnK, origin: offsetRAS)
    }
}
