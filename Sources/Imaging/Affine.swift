/// A 4x4 homogeneous affine, row-major, mapping voxel indices (i, j, k) to millimetres
/// in a named patient frame. Which frame (LPS or RAS) is part of the variable's name
/// (`affineLPS`, `affineRAS`) — never guessed.
public struct Affine: Sendable, Equatable, Codable {
    /// Row-major 4x4; the last row is (0, 0, 0, 1) for every affine we build.
    public var m: [Double]

    public init(rows: [[Double]]) {
        precondition(rows.count == 4 && rows.allSatisfy { $0.count == 4 })
        m = rows.flatMap { $0 }
    }

    public init(m: [Double]) {
        precondition(m.count == 16)
        self.m = m
    }

    /// Columns are the voxel steps of i, j, k in mm; `origin` is the centre of voxel (0, 0, 0).
    public init(columnI: Vector3, columnJ: Vector3, columnK: Vector3, origin: Vector3) {
        m = [columnI.x, columnJ.x, columnK.x, origin.x,
             columnI.y, columnJ.y, columnK.y, origin.y,
             columnI.z, columnJ.z, columnK.z, origin.z,
             0, 0, 0, 1]
    }

    public static let identity = Affine(m: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])

    public subscript(row: Int, col: Int) -> Double {
        get { m[row * 4 + col] }
        set { m[row * 4 + col] = newValue }
    }

    public var columnI: Vector3 { Vector3(m[0], m[4], m[8]) }
    public var columnJ: Vector3 { Vector3(m[1], m[5], m[9]) }
    public var columnK: Vector3 { Vector3(m[2], m[6], m[10]) }
    public var origin: Vector3 { Vector3(m[3], m[7], m[11]) }

    /// Apply to a point (voxel index -> mm).
    public func apply(_ p: Vector3) -> Vector3 {
        Vector3(m[0] * p.x + m[1] * p.y + m[2] * p.z + m[3],
                m[4] * p.x + m[5] * p.y + m[6] * p.z + m[7],
                m[8] * p.x + m[9] * p.y + m[10] * p.z + m[11])
    }

    public static func * (a: Affine, b: Affine) -> Affine {
        var r = [Double](repeating: 0, count: 16)
        for i in 0..<4 {
            for j in 0..<4 {
                var s = 0.0
                for k in 0..<4 { s += a.m[i * 4 + k] * b.m[k * 4 + j] }
                r[i * 4 + j] = s
            }
        }
        return Affine(m: r)
    }

    /// Determinant of the 3x3 linear part.
    public var determinant3: Double {
        let a = m
        return a[0] * (a[5] * a[10] - a[6] * a[9])
            - a[1] * (a[4] * a[10] - a[6] * a[8])
            + a[2] * (a[4] * a[9] - a[5] * a[8])
    }

    /// Inverse of the affine (throws nothing; a singular affine returns nil).
    public var inverse: Affine? {
        let a = m
        let det = determinant3
        guard abs(det) > 1e-12 else { return nil }
        let inv00 = (a[5] * a[10] - a[6] * a[9]) / det
        let inv01 = (a[2] * a[9] - a[1] * a[10]) / det
        let inv02 = (a[1] * a[6] - a[2] * a[5]) / det
        let inv10 = (a[6] * a[8] - a[4] * a[10]) / det
        let inv11 = (a[0] * a[10] - a[2] * a[8]) / det
        let inv12 = (a[2] * a[4] - a[0] * a[6]) / det
        let inv20 = (a[4] * a[9] - a[5] * a[8]) / det
        let inv21 = (a[1] * a[8] - a[0] * a[9]) / det
        let inv22 = (a[0] * a[5] - a[1] * a[4]) / det
        let t = Vector3(a[3], a[7], a[11])
        let tx = -(inv00 * t.x + inv01 * t.y + inv02 * t.z)
        let ty = -(inv10 * t.x + inv11 * t.y + inv12 * t.z)
        let tz = -(inv20 * t.x + inv21 * t.y + inv22 * t.z)
        return Affine(m: [inv00, inv01, inv02, tx, inv10, inv11, inv12, ty, inv20, inv21, inv22, tz, 0, 0, 0, 1])
    }

    /// Largest absolute difference of any element (for tests and geometry checks).
    public func maxAbsDifference(_ o: Affine) -> Double {
        zip(m, o.m).map { abs($0 - $1) }.max() ?? 0
    }
}

/// Patient coordinate frames. DICOM patient space is LPS (+x left, +y posterior, +z superior);
/// NIfTI world space is RAS (+x right, +y anterior, +z superior). The conversion between them
/// lives here and nowhere else.
public enum PatientFrame {
    /// Multiplying an LPS affine on the left by this gives the RAS affine (and vice versa).
    public static let lpsToRAS = Affine(m: [-1, 0, 0, 0,
                                             0, -1, 0, 0,
                                             0, 0, 1, 0,
                                             0, 0, 0, 1])
    public static let rasToLPS = lpsToRAS

    public static func toRAS(affineLPS: Affine) -> Affine { lpsToRAS * affineLPS }
    public static func toLPS(affineRAS: Affine) -> Affine { rasToLPS * affineRAS }
    public static func toRAS(pointLPS p: Vector3) -> Vector3 { Vector3(-p.x, -p.y, p.z) }
    public static func toLPS(pointRAS p: Vector3) -> Vector3 { Vector3(-p.x, -p.y, p.z) }
}
