import Imaging

/// One 2D image of scalars on the (i, j) plane of a grid: a slice or a projection over k.
/// Index i + nx * j, i = image column, j = image row from the top. NaN means "no data" and is
/// drawn as background.
struct Plane: Sendable {
    var nx: Int
    var ny: Int
    var values: [Float]

    subscript(i: Int, j: Int) -> Float { values[i + nx * j] }

    /// Slice k of a volume.
    static func slice(_ v: Volume3D, k: Int) -> Plane {
        let n = v.grid.voxelsPerSlice
        return Plane(nx: v.grid.nx, ny: v.grid.ny, values: Array(v.values[(k * n)..<((k + 1) * n)]))
    }

    /// Maximum over k of the finite values, only where `mask` > 0.5 when a mask is given;
    /// NaN where no voxel of the column qualifies.
    static func maxProjection(_ v: Volume3D, mask: Volume3D?) -> Plane {
        let n = v.grid.voxelsPerSlice
        var out = [Float](repeating: -.infinity, count: n)
        v.values.withUnsafeBufferPointer { vals in
            for k in 0..<v.grid.nz {
                for p in 0..<n {
                    let x = vals[k * n + p]
                    guard x.isFinite else { continue }
                    if let mask, !(mask.values[k * n + p] > 0.5) { continue }
                    if x > out[p] { out[p] = x }
                }
            }
        }
        return Plane(nx: v.grid.nx, ny: v.grid.ny, values: out.map { $0 == -.infinity ? .nan : $0 })
    }

    /// Mean over k of the finite values (an average-intensity projection); NaN where none.
    static func meanProjection(_ v: Volume3D) -> Plane {
        let n = v.grid.voxelsPerSlice
        var sum = [Double](repeating: 0, count: n)
        var count = [Int](repeating: 0, count: n)
        for k in 0..<v.grid.nz {
            for p in 0..<n {
                let x = v.values[k * n + p]
                guard x.isFinite else { continue }
                sum[p] += Double(x); count[p] += 1
            }
        }
        return Plane(nx: v.grid.nx, ny: v.grid.ny,
                     values: (0..<n).map { count[$0] > 0 ? Float(sum[$0] / Double(count[$0])) : .nan })
    }

    /// 1 where any voxel of the column is set (> 0.5), else 0.
    static func anyProjection(_ mask: Volume3D) -> Plane {
        let n = mask.grid.voxelsPerSlice
        var out = [Float](repeating: 0, count: n)
        for k in 0..<mask.grid.nz {
            for p in 0..<n where mask.values[k * n + p] > 0.5 { out[p] = 1 }
        }
        return Plane(nx: mask.grid.nx, ny: mask.grid.ny, values: out)
    }

    /// This plane with NaN wherever `mask` (same size) is not > 0.5.
    func masked(by mask: Plane) -> Plane {
        var v = values
        for p in 0..<v.count where !(mask.values[p] > 0.5) { v[p] = .nan }
        return Plane(nx: nx, ny: ny, values: v)
    }

    /// Resample to `width` x `height` display pixels spanning the whole plane. Each display
    /// pixel covers a box of source voxels (at least one): magnifying repeats voxels (nearest
    /// neighbour, so every voxel keeps its exact value); minifying averages the box. A pixel is
    /// NaN when fewer than half of its box's voxels are finite. For a 0/1 mask the result is the
    /// covered fraction, used as overlay opacity.
    func resampled(width: Int, height: Int) -> Plane {
        let cols = Plane.boxes(source: nx, target: width)
        let rows = Plane.boxes(source: ny, target: height)
        var out = [Float](repeating: .nan, count: width * height)
        values.withUnsafeBufferPointer { src in
            for (y, rj) in rows.enumerated() {
                for (x, ri) in cols.enumerated() {
                    var sum = 0.0
                    var finite = 0
                    for j in rj {
                        let row = j * nx
                        for i in ri {
                            let v = src[row + i]
                            if v.isFinite { sum += Double(v); finite += 1 }
                        }
                    }
                    if 2 * finite >= ri.count * rj.count, finite > 0 { out[x + width * y] = Float(sum / Double(finite)) }
                }
            }
        }
        return Plane(nx: width, ny: height, values: out)
    }

    /// For each of `target` display pixels, the source indices it covers: pixel p spans
    /// [p, p+1) * source / target in voxel units; it takes the voxels whose centres (index + 0.5)
    /// fall in that span, or, when none does (magnifying), the voxel under the pixel's centre.
    static func boxes(source: Int, target: Int) -> [Range<Int>] {
        let scale = Double(source) / Double(target)
        return (0..<target).map { p in
            let lo = max(0, Int((Double(p) * scale - 0.5).rounded(.up)))
            let hi = min(source, Int((Double(p + 1) * scale - 0.5).rounded(.up)))
            if hi > lo { return lo..<hi }
            let c = min(source - 1, Int((Double(p) + 0.5) * scale))
            return c..<(c + 1)
        }
    }
}
