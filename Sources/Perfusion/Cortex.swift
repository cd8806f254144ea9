import Foundation
import Imaging

/// Cortical grey matter for the corrected CBV index: brain voxels brighter than the grey/white
/// split of the time-averaged image (Otsu 1979 on the brain's histogram) that lie within
/// `depthMM` of the extra-axial space (CSF connected to the skull's inner surface: the
/// subarachnoid space, sulci and fissure, not the ventricles) or of the skull itself.
/// Deep grey nuclei, bordered by ventricles, are left out.
enum Cortex {
    static let depthMM = 4.0
    /// Extra-axial CSF: intracranial, not brain, time-averaged HU below this.
    static let csfHighHU: Float = 15

    static func mask(meanCT: [Float], brain: [Bool], intracranial: [Bool], grid: Grid) -> [Bool] {
        let values = zip(meanCT, brain).compactMap { $1 ? $0 : nil }
        guard let split = otsu(values) else { return brain.map { _ in false } }
        let nx = grid.nx, ny = grid.ny, sliceSize = nx * ny
        let radius = max(1, Int((depthMM / min(grid.spacingMM.x, grid.spacingMM.y)).rounded()))
        var out = [Bool](repeating: false, count: grid.voxelCount)
        for k in 0..<grid.nz {
            let base = k * sliceSize
            // Seeds: intracranial pixels touching the outside (skull).
            var extra = [Bool](repeating: false, count: sliceSize)
            var stack: [Int] = []
            for j in 0..<ny {
                for i in 0..<nx where intracranial[base + j * nx + i] {
                    let v = j * nx + i
                    let border = i == 0 || j == 0 || i == nx - 1 || j == ny - 1
                        || !intracranial[base + v - 1] || !intracranial[base + v + 1]
                        || !intracranial[base + v - nx] || !intracranial[base + v + nx]
                    if border { extra[v] = true; stack.append(v) }
                }
            }
            // Grow through CSF that is not brain.
            while let v = stack.popLast() {
                let i = v % nx, j = v / nx
                for (di, dj) in [(-1, 0), (1, 0), (0, -1), (0, 1)] {
                    let a = i + di, b = j + dj
                    guard a >= 0, a < nx, b >= 0, b < ny else { continue }
                    let q = b * nx + a
                    guard !extra[q], intracranial[base + q], !brain[base + q], meanCT[base + q] < csfHighHU else { continue }
                    extra[q] = true
                    stack.append(q)
                }
            }
            let near = BrainMask.dilate(extra, nx: nx, ny: ny, radius: radius)
            for v in 0..<sliceSize where near[v] && brain[base + v] && meanCT[base + v] >= split { out[base + v] = true }
        }
        return out
    }

    /// Otsu's threshold of values in 0...100 HU (1 HU bins); nil when fewer than 2 values.
    static func otsu(_ values: [Float]) -> Float? {
        guard values.count >= 2 else { return nil }
        var histogram = [Double](repeating: 0, count: 101)
        for v in values { histogram[min(100, max(0, Int(v.rounded())))] += 1 }
        let total = Double(values.count)
        let sumAll = histogram.enumerated().reduce(0.0) { $0 + Double($1.offset) * $1.element }
        var weightBelow = 0.0, sumBelow = 0.0, best = -1.0, threshold = 0
        for t in 0..<100 {
            weightBelow += histogram[t]; sumBelow += Double(t) * histogram[t]
            let weightAbove = total - weightBelow
            guard weightBelow > 0, weightAbove > 0 else { continue }
            let m0 = sumBelow / weightBelow, m1 = (sumAll - sumBelow) / weightAbove
            let between = weightBelow * weightAbove * (m0 - m1) * (m0 - m1)
            if between > best { best = between; threshold = t }
        }
        return Float(threshold) + 0.5
    }
}
