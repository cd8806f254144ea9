/// A dynamic series on one grid: HU (or any Float quantity) at (x, y, z, t), x fastest.
/// Memory: nx*ny*nz*nt Float32 values (512x512x20x30 = 629 MB).
public struct Volume4D: Sendable {
    public var grid: Grid
    /// Number of time points.
    public var nt: Int
    /// Frame times in seconds relative to the first frame (true, possibly variable sampling).
    public var frameTimes: [Double] // s
    /// Voxel values, index = i + nx*(j + ny*(k + nz*t)).
    public var values: [Float]

    public init(grid: Grid, frameTimes: [Double], values: [Float]) {
        precondition(values.count == grid.voxelCount * frameTimes.count,
                     "Volume4D: \(values.count) values for \(grid.voxelCount) voxels x \(frameTimes.count) frames")
        self.grid = grid
        self.nt = frameTimes.count
        self.frameTimes = frameTimes
        self.values = values
    }

    /// A volume of zeros.
    public init(grid: Grid, frameTimes: [Double]) {
        self.init(grid: grid, frameTimes: frameTimes,
                  values: [Float](repeating: 0, count: grid.voxelCount * frameTimes.count))
    }

    @inlinable public func index(_ i: Int, _ j: Int, _ k: Int, _ t: Int) -> Int {
        i + grid.nx * (j + grid.ny * (k + grid.nz * t))
    }

    public subscript(i: Int, j: Int, k: Int, t: Int) -> Float {
        get { values[index(i, j, k, t)] }
        set { values[index(i, j, k, t)] = newValue }
    }

    /// Offset of the first voxel of slice k at time t.
    public func sliceOffset(k: Int, t: Int) -> Int { grid.voxelsPerSlice * (k + grid.nz * t) }

    /// The time course of one voxel.
    public func curve(i: Int, j: Int, k: Int) -> [Float] {
        (0..<nt).map { values[index(i, j, k, $0)] }
    }
}

/// A 3D scalar map on a grid (a perfusion map, a truth map, a mask as 0/1).
public struct Volume3D: Sendable {
    public var grid: Grid
    public var values: [Float]

    public init(grid: Grid, values: [Float]) {
        precondition(values.count == grid.voxelCount)
        self.grid = grid
        self.values = values
    }

    public init(grid: Grid, fill: Float = 0) {
        self.init(grid: grid, values: [Float](repeating: fill, count: grid.voxelCount))
    }

    public subscript(i: Int, j: Int, k: Int) -> Float {
        get { values[grid.index(i, j, k)] }
        set { values[grid.index(i, j, k)] = newValue }
    }
}
