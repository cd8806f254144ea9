import Foundation
import Imaging

/// Rigid in-plane motion of one frame relative to the reference frame: a point at in-plane
/// position p (mm, relative to the image centre, along the image row and column directions)
/// in the reference is found at R(rotationRad) * p + (dxMM, dyMM) in the frame.
struct RigidMotion: Sendable, Equatable, Codable {
    var rotationRad = 0.0
    var dxMM = 0.0
    var dyMM = 0.0

    static let identity = RigidMotion()

    @inline(__always) func apply(_ x: Double, _ y: Double) -> (x: Double, y: Double) {
        let c = cos(rotationRad), s = sin(rotationRad)
        return (c * x - s * y + dxMM, s * x + c * y + dyMM)
    }

    /// Distance (mm) the point p moves.
    func displacementMM(_ x: Double, _ y: Double) -> Double {
        let q = apply(x, y)
        return ((q.x - x) * (q.x - x) + (q.y - y) * (q.y - y)).squareRoot()
    }
}

/// In-plane millimetre coordinates of a grid's pixels relative to the centre of the input image
/// (shared by the input and the binned analysis grid, so one `RigidMotion` serves both).
struct PlaneCoordinates: Sendable {
    /// mm per pixel along i and j.
    let spacingX: Double, spacingY: Double
    /// Pixel coordinates of the centre.
    let centreI: Double, centreJ: Double

    /// For the input grid (factor 1) or an analysis grid binned by `factor`.
    init(input: Grid, factor: Int) {
        let f = Double(factor)
        spacingX = input.spacingMM.x * f
        spacingY = input.spacingMM.y * f
        centreI = (Double(input.nx - 1) / 2 - (f - 1) / 2) / f
        centreJ = (Double(input.ny - 1) / 2 - (f - 1) / 2) / f
    }

    @inline(__always) func mm(_ i: Double, _ j: Double) -> (x: Double, y: Double) {
        ((i - centreI) * spacingX, (j - centreJ) * spacingY)
    }

    @inline(__always) func pixel(_ x: Double, _ y: Double) -> (i: Double, j: Double) {
        (x / spacingX + centreI, y / spacingY + centreJ)
    }
}

/// Estimates rigid in-plane head motion by registering every frame to the first on the skull:
/// a bone feature image (HU mapped to 0...1 between `boneLowHU` and `boneHighHU`, so contrast
/// in vessels barely registers), Gaussian-blurred, matched by inverse-compositional Gauss-Newton
/// (Baker & Matthews 2004) with one motion per volume (all slices), coarse (blur 2 px) then fine
/// (blur 0.8 px). Reference: the first frame, the pose the maps are reported in.
enum MotionEstimator {
    static let boneLowHU: Float = 300
    static let boneHighHU: Float = 1000
    /// Blur of the coarse (2 x 2 binned) and the fine level, pixels of each level.
    static let blurSigmasPixels = [1.0, 0.8]
    static let maxIterations = 20

    /// Motion of every frame (frame 0: identity). `frames`: values on `grid`, frame-major.
    /// The coarse level works on a 2 x 2 binned copy.
    static func estimate(frames: [Float], grid: Grid, frameCount nt: Int, coordinates: PlaneCoordinates,
                         coarseCoordinates: PlaneCoordinates) -> [RigidMotion] {
        let n = grid.voxelCount
        guard nt > 1 else { return [.identity] }
        let coarseGrid = AnalysisGrid(input: grid, factor: 2).grid
        @Sendable func levels(_ frame: [Float]) -> [[Float]] {
            let feature = boneFeature(frame)
            return [blurred(Preprocess.binFrames(feature, grid: grid, nt: 1, factor: 2), grid: coarseGrid, sigma: blurSigmasPixels[0]),
                    blurred(feature, grid: grid, sigma: blurSigmasPixels[1])]
        }
        let first = levels(Array(frames[0..<n]))
        let references = [ReferenceLevel(feature: first[0], grid: coarseGrid, coordinates: coarseCoordinates),
                          ReferenceLevel(feature: first[1], grid: grid, coordinates: coordinates)]
        var motions = [RigidMotion](repeating: .identity, count: nt)
        motions.withSharedPointer { out in
            frames.withSharedReadPointer { src in
                Parallel.forEach(nt - 1) { item in
                    let t = item + 1
                    let moving = levels(Array(UnsafeBufferPointer(start: src.base + t * n, count: n)))
                    var motion = RigidMotion.identity
                    for (reference, image) in zip(references, moving) { motion = reference.register(image, start: motion) }
                    out[t] = motion
                }
            }
        }
        return motions
    }

    static func boneFeature(_ hu: [Float]) -> [Float] {
        let scale = 1 / (boneHighHU - boneLowHU)
        return hu.map { min(1, max(0, ($0 - boneLowHU) * scale)) }
    }

    /// Separable in-plane Gaussian blur (truncated at 3 sigma, edges clamped).
    static func blurred(_ values: [Float], grid: Grid, sigma: Double) -> [Float] {
        let radius = max(1, Int((3 * sigma).rounded(.up)))
        var kernel = (-radius...radius).map { Float(exp(-Double($0 * $0) / (2 * sigma * sigma))) }
        let sum = kernel.reduce(0, +)
        kernel = kernel.map { $0 / sum }
        let nx = grid.nx, ny = grid.ny
        var tmp = [Float](repeating: 0, count: values.count), out = tmp
        values.withUnsafeBufferPointer { src in
            tmp.withUnsafeMutableBufferPointer { mid in
                out.withUnsafeMutableBufferPointer { dst in
                    kernel.withUnsafeBufferPointer { w in
                        for k in 0..<grid.nz {
                            let base = k * nx * ny
                            for j in 0..<ny {
                                let row = base + j * nx
                                for i in 0..<nx {
                                    var s: Float = 0
                                    if i >= radius && i < nx - radius {
                                        for d in 0...(2 * radius) { s += w[d] * src[row + i - radius + d] }
                                    } else {
                                        for d in -radius...radius { s += w[d + radius] * src[row + min(nx - 1, max(0, i + d))] }
                                    }
                                    mid[row + i] = s
                                }
                            }
                            for j in 0..<ny {
                                let inside = j >= radius && j < ny - radius
                                for i in 0..<nx {
                                    var s: Float = 0
                                    if inside {
                                        for d in 0...(2 * radius) { s += w[d] * mid[base + (j - radius + d) * nx + i] }
                                    } else {
                                        for d in -radius...radius { s += w[d + radius] * mid[base + min(ny - 1, max(0, j + d)) * nx + i] }
                                    }
                                    dst[base + j * nx + i] = s
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Bilinear sample of slice k at pixel coordinates (i, j); 0 outside the image.
    @inline(__always)
    static func sample(_ v: UnsafeBufferPointer<Float>, nx: Int, ny: Int, k: Int, _ i: Double, _ j: Double) -> Double {
        let i0 = Int(floor(i)), j0 = Int(floor(j))
        guard i0 >= 0, j0 >= 0, i0 + 1 < nx, j0 + 1 < ny else { return 0 }
        let wi = i - Double(i0), wj = j - Double(j0)
        let b = k * nx * ny + j0 * nx + i0
        let top = Double(v[b]) * (1 - wi) + Double(v[b + 1]) * wi
        let bottom = Double(v[b + nx]) * (1 - wi) + Double(v[b + nx + 1]) * wi
        return top * (1 - wj) + bottom * wj
    }
}

/// The reference image of one blur level: sample points on the skull edges with their
/// steepest-descent images and the inverse Gauss-Newton Hessian.
private struct ReferenceLevel: Sendable {
    struct Point: Sendable { var x, y: Double; var k: Int; var value: Double; var j0, j1, j2: Double }
    let points: [Point]
    let hessianInverse: [Double]   // 3x3 row-major, parameters (rotation, dx, dy)
    let grid: Grid
    let coordinates: PlaneCoordinates

    /// Use at most about this many points (a regular subsample of the edge pixels).
    static let maxPoints = 20_000

    init(feature: [Float], grid: Grid, coordinates: PlaneCoordinates) {
        self.grid = grid
        self.coordinates = coordinates
        let nx = grid.nx, ny = grid.ny
        var candidates: [Point] = []
        for k in 0..<grid.nz {
            for j in 1..<(ny - 1) {
                for i in 1..<(nx - 1) {
                    let v = k * nx * ny + j * nx + i
                    let gx = Double(feature[v + 1] - feature[v - 1]) / (2 * coordinates.spacingX)
                    let gy = Double(feature[v + nx] - feature[v - nx]) / (2 * coordinates.spacingY)
                    guard abs(gx) + abs(gy) > 1e-3 else { continue }
                    let p = coordinates.mm(Double(i), Double(j))
                    candidates.append(Point(x: p.x, y: p.y, k: k, value: Double(feature[v]),
                                            j0: -gx * p.y + gy * p.x, j1: gx, j2: gy))
                }
            }
        }
        let stride = max(1, candidates.count / Self.maxPoints)
        points = Swift.stride(from: 0, to: candidates.count, by: stride).map { candidates[$0] }
        var h = [Double](repeating: 0, count: 9)
        for p in points {
            let jv = [p.j0, p.j1, p.j2]
            for a in 0..<3 { for b in 0..<3 { h[a * 3 + b] += jv[a] * jv[b] } }
        }
        hessianInverse = Matrix3.inverse(h) ?? [Double](repeating: 0, count: 9)
    }

    /// Inverse-compositional Gauss-Newton from `start`; returns the refined motion.
    func register(_ moving: [Float], start: RigidMotion) -> RigidMotion {
        guard !points.isEmpty, hessianInverse.contains(where: { $0 != 0 }) else { return start }
        var m = start
        let nx = grid.nx, ny = grid.ny
        moving.withUnsafeBufferPointer { mv in
            for _ in 0..<MotionEstimator.maxIterations {
                var b0 = 0.0, b1 = 0.0, b2 = 0.0
                for p in points {
                    let q = m.apply(p.x, p.y)
                    let px = coordinates.pixel(q.x, q.y)
                    let e = MotionEstimator.sample(mv, nx: nx, ny: ny, k: p.k, px.i, px.j) - p.value
                    b0 += p.j0 * e; b1 += p.j1 * e; b2 += p.j2 * e
                }
                let h = hessianInverse
                let dTheta = h[0] * b0 + h[1] * b1 + h[2] * b2
                let dx = h[3] * b0 + h[4] * b1 + h[5] * b2
                let dy = h[6] * b0 + h[7] * b1 + h[8] * b2
                // W(p) o W(dp)^-1: rotation theta - dtheta, translation t - R(theta') dt.
                m.rotationRad -= dTheta
                let c = cos(m.rotationRad), s = sin(m.rotationRad)
                m.dxMM -= c * dx - s * dy
                m.dyMM -= s * dx + c * dy
                if abs(dx) < 1e-3 && abs(dy) < 1e-3 && abs(dTheta) < 1e-5 { break }
            }
        }
        return m
    }
}

/// 3 x 3 helpers (row-major).
enum Matrix3 {
    static func inverse(_ a: [Double]) -> [Double]? {
        let det = a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) + a[2] * (a[3] * a[7] - a[4] * a[6])
        guard abs(det) > 1e-300 else { return nil }
        let d = 1 / det
        return [(a[4] * a[8] - a[5] * a[7]) * d, (a[2] * a[7] - a[1] * a[8]) * d, (a[1] * a[5] - a[2] * a[4]) * d,
                (a[5] * a[6] - a[3] * a[8]) * d, (a[0] * a[8] - a[2] * a[6]) * d, (a[2] * a[3] - a[0] * a[5]) * d,
                (a[3] * a[7] - a[4] * a[6]) * d, (a[1] * a[6] - a[0] * a[7]) * d, (a[0] * a[4] - a[1] * a[3]) * d]
    }
}
