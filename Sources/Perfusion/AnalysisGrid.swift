import Imaging

/// The grid the analysis runs on: the input grid binned `factor` x `factor` in-plane.
///
/// Very fine in-plane sampling (a 512 matrix, ~0.45 mm pixels) is binned 2 x 2 before analysis:
/// the maps are no sharper than the smoothing kernel anyway, the noise per voxel halves, and the
/// per-voxel fit runs on a quarter of the voxels. Maps and masks are returned on the input grid
/// by pixel replication, so volumes counted on either grid agree exactly.
struct AnalysisGrid: Sendable {
    /// The input grid.
    let input: Grid
    /// In-plane binning factor (1 = none).
    let factor: Int
    /// The binned grid: voxel (I, J, k) covers input voxels i in factor*I ..< factor*(I+1), same for j.
    let grid: Grid

    /// Bin until pixels are at least this wide, mm (at most 4 x 4).
    static let minimumPixelSpacingMM = 0.7

    init(input: Grid) {
        self.init(input: input, factor: Self.factor(for: input))
    }

    init(input: Grid, factor: Int) {
        precondition(factor >= 1 && input.nx >= factor && input.ny >= factor)
        self.input = input
        self.factor = factor
        let a = input.affineLPS, f = Double(factor)
        let half = (f - 1) / 2
        let origin = a.apply(Vector3(half, half, 0))
        grid = Grid(nx: input.nx / factor, ny: input.ny / factor, nz: input.nz,
                    affineLPS: Affine(columnI: a.columnI * f, columnJ: a.columnJ * f, columnK: a.columnK, origin: origin))
    }

    /// Smallest factor (1...4) that makes both in-plane spacings >= `minimumPixelSpacingMM`.
    static func factor(for grid: Grid) -> Int {
        let s = min(grid.spacingMM.x, grid.spacingMM.y)
        guard s > 0 else { return 1 }
        var f = 1
        while f < 4 && s * Double(f) < minimumPixelSpacingMM && grid.nx / (f + 1) >= 16 && grid.ny / (f + 1) >= 16 { f += 1 }
        return f
    }

    /// Input-grid voxel (i, j, k) at the centre of analysis voxel (I, J, k).
    func inputVoxel(_ i: Int, _ j: Int, _ k: Int) -> [Int] {
        [i * factor + (factor - 1) / 2, j * factor + (factor - 1) / 2, k]
    }

    /// A map on the analysis grid returned on the input grid (pixel replication; input pixels
    /// beyond the last full bin take the nearest bin).
    func upsample(_ values: [Float]) -> Volume3D {
        precondition(values.count == grid.voxelCount)
        if factor == 1 { return Volume3D(grid: input, values: values) }
        let nx = input.nx, ny = input.ny, nxa = grid.nx, nya = grid.ny, f = factor
        let rows = ny * input.nz
        let out: [Float] = values.withSharedReadPointer { src in
            [Float](unsafeUninitializedCapacity: input.voxelCount) { buffer, initialised in
                let dst = SharedMutablePointer(buffer.baseAddress!)
                Parallel.forChunks(rows) { range in
                    for row in range {
                        let j = row % ny, k = row / ny
                        let source = src.base + nxa * (min(j / f, nya - 1) + nya * k)
                        let target = dst.base + row * nx
                        for i in 0..<nx { target[i] = source[min(i / f, nxa - 1)] }
                    }
                }
                initialised = input.voxelCount
            }
        }
        return Volume3D(grid: input, values: out)
    }

    /// An input-grid mask (0/1) on the analysis grid: a bin is in when at least half its pixels are.
    func downsampleMask(_ mask: Volume3D) -> [Bool] {
        let nx = input.nx, ny = input.ny, f = factor
        var out = [Bool](repeating: false, count: grid.voxelCount)
        for k in 0..<grid.nz {
            for J in 0..<grid.ny {
                for I in 0..<grid.nx {
                    var count = 0
                    for dj in 0..<f {
                        for di in 0..<f where mask.values[(I * f + di) + nx * ((J * f + dj) + ny * k)] > 0.5 { count += 1 }
                    }
                    out[grid.index(I, J, k)] = 2 * count >= f * f
                }
            }
        }
        return out
    }
}
