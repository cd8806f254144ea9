import Foundation
import Imaging

/// The input on the analysis grid: binned, motion-corrected HU frames and the time-averaged HU
/// image at full input resolution (DESIGN section 5, motion).
struct PreparedSeries: Sendable {
    let analysis: AnalysisGrid
    /// Frame-major HU on the analysis grid: index v + voxelCount * t.
    var frames: [Float]
    let frameTimes: [Double]
    /// Motion of every frame relative to frame 0 (identity when below `motionThresholdMM`).
    let motions: [RigidMotion]
    /// Frames that were resampled.
    let correctedFrames: Int
    /// Time-averaged HU on the input grid, after motion correction.
    let meanCTInput: [Float]
    /// Mean HU of the frames that hardly moved (<= `referenceMotionMM`), analysis grid: the image
    /// masks and guides are computed from (motion-corrected frames are never perfect at edges).
    let referenceCT: [Float]
    let coordinates: PlaneCoordinates

    var nt: Int { frameTimes.count }
    var grid: Grid { analysis.grid }
}

enum Preprocess {
    /// Frames whose estimated motion moves no head point by this much (mm) are left as acquired.
    static let motionThresholdMM = 0.2
    /// Motion is estimated on images binned to at most this many pixels across.
    static let registrationMatrix = 128

    static func run(_ volume: Volume4D, progress: (Double) -> Void) -> PreparedSeries {
        let analysis = AnalysisGrid(input: volume.grid)
        let nt = volume.nt
        var (frames, sum) = binAndSum(volume, factor: analysis.factor)
        progress(0.3)
        // Registration on a coarser copy when the analysis grid is large.
        let regFactor = max(1, Int((Double(analysis.grid.nx) / Double(registrationMatrix)).rounded(.up)))
        let regGrid = AnalysisGrid(input: analysis.grid, factor: regFactor).grid
        let regFrames = regFactor == 1 ? frames : binFrames(frames, grid: analysis.grid, nt: nt, factor: regFactor)
        let regCoordinates = PlaneCoordinates(input: volume.grid, factor: analysis.factor * regFactor)
        var motions = MotionEstimator.estimate(frames: regFrames, grid: regGrid, frameCount: nt, coordinates: regCoordinates,
                                               coarseCoordinates: PlaneCoordinates(input: volume.grid, factor: analysis.factor * regFactor * 2))
        progress(0.7)
        let inputCoordinates = PlaneCoordinates(input: volume.grid, factor: 1)
        let corners = [(0.0, 0.0), (Double(volume.grid.nx - 1), 0.0), (0.0, Double(volume.grid.ny - 1)),
                       (Double(volume.grid.nx - 1), Double(volume.grid.ny - 1))].map { inputCoordinates.mm($0.0, $0.1) }
        // A frame is corrected when any point of the field of view moves by more than the threshold.
        for t in 0..<nt where corners.map({ motions[t].displacementMM($0.x, $0.y) }).max()! < motionThresholdMM {
            motions[t] = .identity
        }
        let moved = (0..<nt).filter { motions[$0] != .identity }
        correct(volume, motions: motions, analysis: analysis, frames: &frames, sum: &sum)
        let inverseNT = 1 / Float(nt)
        let meanInput = sum.map { $0 * inverseNT }
        let referenceCT = referenceImage(frames: frames, grid: analysis.grid, motions: motions,
                                         coordinates: PlaneCoordinates(input: volume.grid, factor: analysis.factor))
        progress(1)
        return PreparedSeries(analysis: analysis, frames: frames, frameTimes: volume.frameTimes, motions: motions,
                              correctedFrames: moved.count, meanCTInput: meanInput, referenceCT: referenceCT,
                              coordinates: PlaneCoordinates(input: volume.grid, factor: analysis.factor))
    }

    /// One pass over the input: every frame binned factor x factor in-plane (frame-major; the
    /// input itself when factor is 1) and the sum of all frames on the input grid.
    static func binAndSum(_ volume: Volume4D, factor f: Int) -> (frames: [Float], sum: [Float]) {
        let g = volume.grid, nx = g.nx, ny = g.ny, nz = g.nz, nt = volume.nt, sliceSize = nx * ny
        let bx = nx / f, by = ny / f
        let scale = 1 / Float(f * f)
        var sum = [Float](repeating: 0, count: g.voxelCount)
        var binned = [Float](repeating: 0, count: f == 1 ? 1 : bx * by * nz * nt)
        sum.withSharedPointer { total in
            binned.withSharedPointer { dst in
                volume.values.withSharedReadPointer { src in
                    Parallel.forEach(nz) { k in
                        let out = total.base + k * sliceSize
                        for t in 0..<nt {
                            let slice = src.base + sliceSize * (k + nz * t)
                            for v in 0..<sliceSize { out[v] += slice[v] }
                            guard f > 1 else { continue }
                            let target = dst.base + bx * by * (k + nz * t)
                            for J in 0..<by {
                                for I in 0..<bx {
                                    var s: Float = 0
                                    for dj in 0..<f {
                                        let row = slice + (J * f + dj) * nx + I * f
                                        for di in 0..<f { s += row[di] }
                                    }
                                    target[J * bx + I] = s * scale
                                }
                            }
                        }
                    }
                }
            }
        }
        return (f == 1 ? volume.values : binned, sum)
    }

    /// Frames whose motion moves no point of the head's bounding box by more than this (mm) make
    /// the reference image (at least `referenceMinimumFrames`, the least moved).
    static let referenceMotionMM = 0.3
    static let referenceMinimumFrames = 3

    static func referenceImage(frames: [Float], grid: Grid, motions: [RigidMotion], coordinates: PlaneCoordinates) -> [Float] {
        let n = grid.voxelCount, nt = motions.count
        // Head bounding box on frame 0 (anything denser than air).
        var iMin = grid.nx, iMax = -1, jMin = grid.ny, jMax = -1
        for k in 0..<grid.nz {
            for j in 0..<grid.ny {
                for i in 0..<grid.nx where frames[grid.index(i, j, k)] > -300 {
                    iMin = min(iMin, i); iMax = max(iMax, i); jMin = min(jMin, j); jMax = max(jMax, j)
                }
            }
        }
        if iMax < 0 { iMin = 0; iMax = grid.nx - 1; jMin = 0; jMax = grid.ny - 1 }
        let corners = [(iMin, jMin), (iMax, jMin), (iMin, jMax), (iMax, jMax)].map { coordinates.mm(Double($0.0), Double($0.1)) }
        let moved = motions.map { m in corners.map { m.displacementMM($0.x, $0.y) }.max()! }
        var chosen = (0..<nt).filter { moved[$0] <= referenceMotionMM }
        if chosen.count < min(referenceMinimumFrames, nt) {
            chosen = Array((0..<nt).sorted { moved[$0] < moved[$1] }.prefix(referenceMinimumFrames))
        }
        let scale = 1 / Float(chosen.count)
        let used = chosen
        return frames.withSharedReadPointer { src in
            Parallel.build(n) { range, out in
                for v in range {
                    var s: Float = 0
                    for t in used { s += src[v + n * t] }
                    out[v] = s * scale
                }
            }
        }
    }

    /// Frames (frame-major) binned factor x factor in-plane by averaging; partial bins at the
    /// right and bottom edges are dropped.
    static func binFrames(_ values: [Float], grid: Grid, nt: Int, factor f: Int) -> [Float] {
        let nx = grid.nx, ny = grid.ny, nz = grid.nz
        let bx = nx / f, by = ny / f
        let scale = 1 / Float(f * f)
        return values.withSharedReadPointer { src in
            Parallel.build(bx * by * nz * nt) { range, dst in
                for v in range {
                    let I = v % bx, J = (v / bx) % by, slice = v / (bx * by)   // slice = k + nz * t
                    let base = slice * nx * ny
                    var s: Float = 0
                    for dj in 0..<f {
                        let row = base + (J * f + dj) * nx + I * f
                        for di in 0..<f { s += src[row + di] }
                    }
                    dst[v] = s * scale
                }
            }
        }
    }

    /// Resamples moved frames (bilinear, at input resolution, edges clamped) into `frames`
    /// (re-binned) and replaces their share of `sum`.
    static func correct(_ volume: Volume4D, motions: [RigidMotion], analysis: AnalysisGrid,
                        frames: inout [Float], sum: inout [Float]) {
        let moved = (0..<volume.nt).filter { motions[$0] != .identity }
        guard !moved.isEmpty else { return }
        let g = volume.grid, nx = g.nx, ny = g.ny, nz = g.nz, sliceSize = nx * ny
        let f = analysis.factor, bx = analysis.grid.nx, by = analysis.grid.ny
        let coordinates = PlaneCoordinates(input: g, factor: 1)
        let scale = 1 / Float(f * f)
        sum.withSharedPointer { total in
            frames.withSharedPointer { binned in
                volume.values.withSharedReadPointer { src in
                    Parallel.forEach(nz) { k in
                        var buffer = [Float](repeating: 0, count: sliceSize)
                        let totalSlice = total.base + k * sliceSize
                        for t in moved {
                            let slice = src.base + sliceSize * (k + nz * t)
                            let m = motions[t]
                            for j in 0..<ny {
                                for i in 0..<nx {
                                    let p = coordinates.mm(Double(i), Double(j))
                                    let q = m.apply(p.x, p.y)
                                    let px = coordinates.pixel(q.x, q.y)
                                    buffer[j * nx + i] = bilinearClamped(slice, nx: nx, ny: ny, px.i, px.j)
                                }
                            }
                            for v in 0..<sliceSize { totalSlice[v] += buffer[v] - slice[v] }
                            let out = binned.base + bx * by * (k + nz * t)
                            for J in 0..<by {
                                for I in 0..<bx {
                                    var s: Float = 0
                                    for dj in 0..<f { for di in 0..<f { s += buffer[(J * f + dj) * nx + I * f + di] } }
                                    out[J * bx + I] = s * scale
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    static func bilinearClamped(_ s: UnsafePointer<Float>, nx: Int, ny: Int, _ i: Double, _ j: Double) -> Float {
        let ci = min(Double(nx - 1), max(0, i)), cj = min(Double(ny - 1), max(0, j))
        let i0 = min(nx - 2, Int(ci)), j0 = min(ny - 2, Int(cj))
        let wi = Float(ci - Double(i0)), wj = Float(cj - Double(j0))
        let b = j0 * nx + i0
        let top = s[b] * (1 - wi) + s[b + 1] * wi
        let bottom = s[b + nx] * (1 - wi) + s[b + nx + 1] * wi
        return top * (1 - wj) + bottom * wj
    }
}
