import Foundation
import Imaging

/// Brain tissue on the analysis grid: soft tissue inside the skull on the time-averaged image,
/// without bone, air and CSF (DESIGN section 5); vessels are removed later from their
/// enhancement (`Baseline.vesselMask`).
enum BrainMask {
    /// Bone: time-averaged HU above this.
    static let boneHU: Float = 150
    /// Brain tissue: time-averaged HU in this range (CSF is ~0–10 HU, grey matter ~35–45 HU).
    static let tissueLowHU: Float = 15
    static let tissueHighHU: Float = 60
    /// Gaps in the skull narrower than about twice this are closed before filling, mm.
    static let skullClosingMM = 2.0

    /// Inside the skull: per slice, the region enclosed by the (closed) bone, excluding bone.
    static func intracranial(meanCT: [Float], grid: Grid) -> [Bool] {
        let nx = grid.nx, ny = grid.ny, sliceSize = nx * ny
        let radius = max(1, Int((skullClosingMM / min(grid.spacingMM.x, grid.spacingMM.y)).rounded(.up)))
        let slices: [[Bool]] = meanCT.withSharedReadPointer { src in
            var result = [[Bool]](repeating: [], count: grid.nz)
            result.withSharedPointer { out in
                Parallel.forEach(grid.nz) { k in
                    let bone = (0..<sliceSize).map { src[k * sliceSize + $0] > boneHU }
                    out[k] = fillSlice(bone: bone, nx: nx, ny: ny, radius: radius)
                }
            }
            return result
        }
        return slices.flatMap { $0 }
    }

    /// Intracranial voxels at least one pixel (8-neighbourhood, in-plane) away from bone: where
    /// vessels are searched, because residual misregistration of the skull after motion
    /// correction makes bone edges "enhance" by hundreds of HU.
    static func awayFromBone(meanCT: [Float], intracranial: [Bool], grid: Grid) -> [Bool] {
        let nx = grid.nx, ny = grid.ny, sliceSize = nx * ny
        var out = intracranial
        for k in 0..<grid.nz {
            let bone = (0..<sliceSize).map { meanCT[k * sliceSize + $0] > boneHU }
            let near = dilate(bone, nx: nx, ny: ny, radius: 1)
            for v in 0..<sliceSize where near[v] { out[k * sliceSize + v] = false }
        }
        return out
    }

    /// Candidate brain: intracranial and in the tissue HU range.
    static func candidate(meanCT: [Float], intracranial: [Bool]) -> [Bool] {
        zip(meanCT, intracranial).map { $1 && $0 >= tissueLowHU && $0 <= tissueHighHU }
    }

    /// One slice: dilate bone by `radius`, flood the outside from the border, take what is left
    /// (not bone), grow it back by `radius` through non-bone pixels.
    static func fillSlice(bone: [Bool], nx: Int, ny: Int, radius: Int) -> [Bool] {
        let n = nx * ny
        let closed = dilate(bone, nx: nx, ny: ny, radius: radius)
        var outside = [Bool](repeating: false, count: n)
        var stack: [Int] = []
        func push(_ v: Int) { if !closed[v] && !outside[v] { outside[v] = true; stack.append(v) } }
        for i in 0..<nx { push(i); push((ny - 1) * nx + i) }
        for j in 0..<ny { push(j * nx); push(j * nx + nx - 1) }
        while let v = stack.popLast() {
            let i = v % nx, j = v / nx
            if i > 0 { push(v - 1) }
            if i < nx - 1 { push(v + 1) }
            if j > 0 { push(v - nx) }
            if j < ny - 1 { push(v + nx) }
        }
        var inside = (0..<n).map { !outside[$0] && !closed[$0] }
        guard inside.contains(true) else { return inside }
        for _ in 0..<radius {
            var grown = inside
            for j in 0..<ny {
                for i in 0..<nx where !inside[j * nx + i] && !bone[j * nx + i] && !outside[j * nx + i] {
                    let v = j * nx + i
                    let left = i > 0 && inside[v - 1], right = i < nx - 1 && inside[v + 1]
                    let up = j > 0 && inside[v - nx], down = j < ny - 1 && inside[v + nx]
                    if left || right || up || down { grown[v] = true }
                }
            }
            inside = grown
        }
        return inside
    }

    /// Disc dilation of a 2D mask.
    static func dilate(_ mask: [Bool], nx: Int, ny: Int, radius r: Int) -> [Bool] {
        var out = mask
        var offsets: [(Int, Int)] = []
        for dj in -r...r {
            for di in -r...r where di * di + dj * dj <= r * r { offsets.append((di, dj)) }
        }
        for j in 0..<ny {
            for i in 0..<nx where mask[j * nx + i] {
                for (di, dj) in offsets {
                    let a = i + di, b = j + dj
                    if a >= 0 && a < nx && b >= 0 && b < ny { out[b * nx + a] = true }
                }
            }
        }
        return out
    }
}
