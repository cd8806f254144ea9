/// Nearest-neighbour resampling of a map or mask onto another grid by world (LPS) coordinates:
/// each target voxel centre is mapped into the source grid and takes the nearest source voxel.
/// Target voxels that fall outside the source grid get `outside`.
public enum Resample {
    public struct Result: Sendable {
        public var volume: Volume3D
        /// Target voxels whose centre fell inside the source grid.
        public var voxelsInside: Int
    }

    /// Resample `source` onto `target`. Returns nil when the source affine is singular.
    public static func nearest(_ source: Volume3D, onto target: Grid, outside: Float = 0) -> Result? {
        guard let toSource = source.grid.affineLPS.inverse else { return nil }
        // voxel(target) -> voxel(source) in one affine.
        let m = toSource * target.affineLPS
        let s = source.grid
        var out = [Float](repeating: outside, count: target.voxelCount)
        var inside = 0
        for k in 0..<target.nz {
            for j in 0..<target.ny {
                for i in 0..<target.nx {
                    let p = m.apply(Vector3(Double(i), Double(j), Double(k)))
                    let si = Int((p.x).rounded()), sj = Int((p.y).rounded()), sk = Int((p.z).rounded())
                    guard si >= 0, sj >= 0, sk >= 0, si < s.nx, sj < s.ny, sk < s.nz else { continue }
                    inside += 1
                    out[target.index(i, j, k)] = source.values[s.index(si, sj, sk)]
                }
            }
        }
        return Result(volume: Volume3D(grid: target, values: out), voxelsInside: inside)
    }
}
