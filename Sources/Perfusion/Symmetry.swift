import Foundation
import Imaging

/// The mid-sagittal plane, found by symmetry of the time-averaged head image (not the array
/// centre: heads are rarely centred or straight). The plane contains the slice-stacking
/// direction; in the image plane it is the line through `pointMM` with unit normal at
/// `angleRad` from the image row direction, and the normal points to the patient's left.
struct MidSagittalPlane: Sendable {
    /// In-plane coordinates (`PlaneCoordinates`, mm) of a point on the plane.
    let pointMM: (x: Double, y: Double)
    /// Angle of the normal from the +i direction, radians.
    let angleRad: Double
    let pointLPS: Vector3
    /// Unit normal pointing to the patient's left (+x LPS).
    let normalLPS: Vector3

    /// Signed in-plane distance (mm) of in-plane point (x, y) to the plane: > 0 on the patient's left.
    @inline(__always) func signedDistanceMM(_ x: Double, _ y: Double) -> Double {
        (x - pointMM.x) * cos(angleRad) + (y - pointMM.y) * sin(angleRad)
    }

    /// Mirror image of an in-plane point, mm.
    @inline(__always) func reflect(_ x: Double, _ y: Double) -> (x: Double, y: Double) {
        let d = signedDistanceMM(x, y)
        return (x - 2 * d * cos(angleRad), y - 2 * d * sin(angleRad))
    }
}

enum Symmetry {
    /// Search range around the centroid of the intracranial region.
    static let angleRangeDeg = 25.0, offsetRangeMM = 30.0
    /// Image feature: time-averaged HU clamped to this range (bone saturates, air is flat).
    static let featureLowHU: Float = -20, featureHighHU: Float = 120
    static let maxPoints = 20_000, coarsePoints = 4_000

    /// Plane maximising the mirror agreement of the intracranial region (coarse grid over
    /// angle and offset, then a fine grid around the best).
    static func midSagittalPlane(meanCT: [Float], intracranial: [Bool], grid: Grid,
                                 coordinates: PlaneCoordinates) -> MidSagittalPlane {
        let nx = grid.nx, ny = grid.ny
        let feature = meanCT.map { min(featureHighHU, max(featureLowHU, $0)) }
        var points: [(x: Double, y: Double, k: Int, f: Double)] = []
        var cx = 0.0, cy = 0.0
        for k in 0..<grid.nz {
            for j in 0..<ny {
                for i in 0..<nx where intracranial[grid.index(i, j, k)] {
                    let p = coordinates.mm(Double(i), Double(j))
                    points.append((p.x, p.y, k, Double(feature[grid.index(i, j, k)])))
                    cx += p.x; cy += p.y
                }
            }
        }
        guard !points.isEmpty else { return plane(angleRad: 0, offsetMM: 0, centre: (0, 0), grid: grid, coordinates: coordinates) }
        cx /= Double(points.count); cy /= Double(points.count)
        let fine = subsample(points, maxPoints), coarse = subsample(points, coarsePoints)
        func cost(_ pts: [(x: Double, y: Double, k: Int, f: Double)], _ angle: Double, _ offset: Double) -> Double {
            let c = cos(angle), s = sin(angle)
            let px = cx + offset * c, py = cy + offset * s
            var sum = 0.0
            feature.withUnsafeBufferPointer { f in
                for p in pts {
                    let d = (p.x - px) * c + (p.y - py) * s
                    let q = coordinates.pixel(p.x - 2 * d * c, p.y - 2 * d * s)
                    let v = sampleClamped(f, nx: nx, ny: ny, k: p.k, q.i, q.j, outside: Double(featureLowHU))
                    sum += (v - p.f) * (v - p.f)
                }
            }
            return sum
        }
        // Coarse to fine: 2 degrees x 2 mm over the whole range, then 0.5 and 0.1 around the best.
        var best = (angle: 0.0, offset: 0.0, cost: Double.infinity)
        let degree = Double.pi / 180
        for a in stride(from: -angleRangeDeg, through: angleRangeDeg, by: 2) {
            for o in stride(from: -offsetRangeMM, through: offsetRangeMM, by: 2) {
                let c = cost(coarse, a * degree, o)
                if c < best.cost { best = (a * degree, o, c) }
            }
        }
        for (step, span) in [(0.5, 2.0), (0.1, 0.5)] {
            let start = best
            best.cost = cost(fine, start.angle, start.offset)
            for a in stride(from: -span, through: span, by: step) {
                for o in stride(from: -span, through: span, by: step) {
                    let c = cost(fine, start.angle + a * degree, start.offset + o)
                    if c < best.cost { best = (start.angle + a * degree, start.offset + o, c) }
                }
            }
        }
        return plane(angleRad: best.angle, offsetMM: best.offset, centre: (cx, cy), grid: grid, coordinates: coordinates)
    }

    /// The plane through centre + offset * normal with normal angle `angleRad`, oriented to the patient's left.
    static func plane(angleRad: Double, offsetMM: Double, centre: (Double, Double), grid: Grid,
                      coordinates: PlaneCoordinates) -> MidSagittalPlane {
        var angle = angleRad
        let point = (x: centre.0 + offsetMM * cos(angle), y: centre.1 + offsetMM * sin(angle))
        let ui = grid.affineLPS.columnI.normalized, uj = grid.affineLPS.columnJ.normalized
        var normal = ui * cos(angle) + uj * sin(angle)
        if normal.x < 0 { normal = -normal; angle += Double.pi }
        let pixel = coordinates.pixel(point.x, point.y)
        let pointLPS = grid.positionLPS(i: pixel.i, j: pixel.j, k: Double(grid.nz - 1) / 2)
        return MidSagittalPlane(pointMM: point, angleRad: angle, pointLPS: pointLPS, normalLPS: normal)
    }

    private static func subsample<T>(_ a: [T], _ count: Int) -> [T] {
        let step = max(1, a.count / count)
        return stride(from: 0, to: a.count, by: step).map { a[$0] }
    }

    /// Bilinear sample of slice k at pixel (i, j); `outside` beyond the image.
    @inline(__always)
    static func sampleClamped(_ v: UnsafeBufferPointer<Float>, nx: Int, ny: Int, k: Int, _ i: Double, _ j: Double,
                              outside: Double) -> Double {
        let i0 = Int(floor(i)), j0 = Int(floor(j))
        guard i0 >= 0, j0 >= 0, i0 + 1 < nx, j0 + 1 < ny else { return outside }
        let wi = i - Double(i0), wj = j - Double(j0)
        let b = k * nx * ny + j0 * nx + i0
        let top = Double(v[b]) * (1 - wi) + Double(v[b + 1]) * wi
        let bottom = Double(v[b + nx]) * (1 - wi) + Double(v[b + nx + 1]) * wi
        return top * (1 - wj) + bottom * wj
    }

    /// +1 (patient left), -1 (right) or 0 (on the plane) for every analysis voxel.
    static func hemispheres(plane: MidSagittalPlane, grid: Grid, coordinates: PlaneCoordinates) -> [Int8] {
        var out = [Int8](repeating: 0, count: grid.voxelCount)
        for k in 0..<grid.nz {
            for j in 0..<grid.ny {
                for i in 0..<grid.nx {
                    let p = coordinates.mm(Double(i), Double(j))
                    let d = plane.signedDistanceMM(p.x, p.y)
                    out[grid.index(i, j, k)] = d > 0 ? 1 : (d < 0 ? -1 : 0)
                }
            }
        }
        return out
    }

    /// Analysis voxel nearest to the mirror image of voxel (i, j, k), or nil outside the grid.
    static func mirrorVoxel(_ i: Int, _ j: Int, _ k: Int, plane: MidSagittalPlane, grid: Grid,
                            coordinates: PlaneCoordinates) -> Int? {
        let p = coordinates.mm(Double(i), Double(j))
        let m = plane.reflect(p.x, p.y)
        let q = coordinates.pixel(m.x, m.y)
        let mi = Int(q.i.rounded()), mj = Int(q.j.rounded())
        guard mi >= 0, mi < grid.nx, mj >= 0, mj < grid.ny else { return nil }
        return grid.index(mi, mj, k)
    }
}
