import Imaging

/// Which slices a page shows and where each lands: all slices when there are at most 25, else
/// 25 evenly spaced from the first to the last; cells in rows left to right, top to bottom,
/// sized so the images are as large as the area allows at the true aspect ratio.
struct SliceGrid: Sendable, Equatable {
    static let maxSlices = 25

    /// Slice indices k shown, ascending.
    var slices: [Int]
    /// Image rectangle (true aspect, inside its cell) for each shown slice.
    var imageRects: [PixelRect]
    var columns: Int
    var rows: Int

    /// Slices for a stack of `nz`: all when nz <= 25, else 25 spread evenly including both ends.
    static func selectSlices(nz: Int, maxCount: Int = maxSlices) -> [Int] {
        guard nz > maxCount else { return Array(0..<nz) }
        return (0..<maxCount).map { Int((Double($0) * Double(nz - 1) / Double(maxCount - 1)).rounded()) }
    }

    /// Display aspect ratio (width / height) of an axial image: (nx * di) / (ny * dj), mm.
    static func aspect(of grid: Grid) -> Double {
        let s = grid.spacingMM
        let w = Double(grid.nx) * (s.x > 0 ? s.x : 1)
        let h = Double(grid.ny) * (s.y > 0 ? s.y : 1)
        return w / h
    }

    /// Lay out the slices of `grid` inside `area`, `gap` pixels between cells.
    init(grid: Grid, area: PixelRect, gap: Int = 4) {
        let ks = SliceGrid.selectSlices(nz: grid.nz)
        let aspect = SliceGrid.aspect(of: grid)
        let n = max(1, ks.count)
        var best = (cols: 1, rows: n, scale: -1.0)
        for cols in 1...n {
            let rows = (n + cols - 1) / cols
            let cw = Double(area.width - gap * (cols - 1)) / Double(cols)
            let ch = Double(area.height - gap * (rows - 1)) / Double(rows)
            guard cw > 0, ch > 0 else { continue }
            let w = min(cw, ch * aspect)   // image width that fits the cell
            if w > best.scale + 1e-9 { best = (cols, rows, w) }
        }
        let cw = (area.width - gap * (best.cols - 1)) / best.cols
        let ch = (area.height - gap * (best.rows - 1)) / best.rows
        // Centre the used block of cells in the area.
        let usedW = best.cols * cw + (best.cols - 1) * gap
        let usedH = best.rows * ch + (best.rows - 1) * gap
        let x0 = area.x + (area.width - usedW) / 2
        let y0 = area.y + (area.height - usedH) / 2
        slices = ks
        columns = best.cols
        rows = best.rows
        imageRects = ks.indices.map { n in
            let cell = PixelRect(x: x0 + (n % best.cols) * (cw + gap), y: y0 + (n / best.cols) * (ch + gap),
                                 width: cw, height: ch)
            return cell.fitted(aspect: aspect)
        }
    }
}

/// Patient-direction letters for the edges of an image drawn in DICOM order (i to the right,
/// j down), from the LPS affine: the image's left edge shows where -i points, and so on.
/// Axial CT in the usual orientation gives R on the left, L on the right, A at the top.
enum Orientation {
    static func letters(_ grid: Grid) -> (left: String, right: String, top: String, bottom: String) {
        let i = grid.affineLPS.columnI
        let j = grid.affineLPS.columnJ
        return (letter(-i), letter(i), letter(-j), letter(j))
    }

    /// The dominant LPS direction of a vector: L/R (x), P/A (y), S/I (z).
    static func letter(_ v: Vector3) -> String {
        let ax = abs(v.x), ay = abs(v.y), az = abs(v.z)
        if ax >= ay && ax >= az { return v.x >= 0 ? "L" : "R" }
        if ay >= az { return v.y >= 0 ? "P" : "A" }
        return v.z >= 0 ? "S" : "I"
    }
}
