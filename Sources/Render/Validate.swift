import Imaging

/// Argument checks shared by figures and pages, each failing with a message naming the input.
enum Validate {
    static func volume(_ v: Volume3D, _ name: String) throws {
        let g = v.grid
        guard g.nx > 0, g.ny > 0, g.nz > 0, v.values.count == g.voxelCount else {
            throw RenderError(.invalidInput, "\(name): empty or inconsistent volume (\(g.nx)x\(g.ny)x\(g.nz), \(v.values.count) values)")
        }
    }

    /// `other` must have the matrix of `reference` (same nx, ny, nz).
    static func sameShape(_ other: Volume3D, _ name: String, as reference: Volume3D, _ refName: String) throws {
        try volume(other, name)
        let a = reference.grid, b = other.grid
        guard a.nx == b.nx, a.ny == b.ny, a.nz == b.nz else {
            throw RenderError(.invalidInput, "\(name) is \(b.nx)x\(b.ny)x\(b.nz) but \(refName) is \(a.nx)x\(a.ny)x\(a.nz); they must share one grid")
        }
    }

    static func range(_ r: ClosedRange<Double>, _ name: String) throws {
        guard r.lowerBound.isFinite, r.upperBound.isFinite, r.upperBound > r.lowerBound else {
            throw RenderError(.invalidInput, "\(name) display range \(r) must be finite with upper > lower")
        }
    }
}
