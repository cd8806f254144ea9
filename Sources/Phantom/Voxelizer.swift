import Foundation
import Imaging

/// Evaluates the analytic head at every voxel of a grid for one head pose: material and
/// perfusion region at the voxel centre, vessels with partial volume. Returns one
/// `VoxelClass` index per voxel (index i + nx*(j + ny*k)).
struct Voxelizer: Sendable {
    let capsules: [Capsule]
    let lesion: Lesion?

    init(lesion: Lesion?) {
        self.lesion = lesion
        capsules = VesselTree.capsules(lesionSide: lesion?.side.sign)
    }

    /// Class of the point p (head frame) ignoring vessels.
    @inline(__always) func background(at p: Vector3) -> (Material, PerfusionRegion) {
        let m = HeadAnatomy.material(at: p)
        guard m.label.isBrainTissue, let lesion else { return (m, .normal) }
        return (m, lesion.region(at: p))
    }

    func classIndices(grid: Grid, pose: HeadPose) -> [UInt16] {
        let a = grid.affineLPS
        let di = pose.directionToHead(a.columnI), dj = pose.directionToHead(a.columnJ)
        let dk = pose.directionToHead(a.columnK)
        let offsets = VesselSampler.offsetsLPS(grid: grid).map { pose.directionToHead($0) }
        // Half-diagonal of a voxel: any point of the voxel is within this of its centre.
        let reachMM = [-0.5, 0.5].flatMap { si in [-0.5, 0.5].flatMap { sj in [-0.5, 0.5].map { sk in
            (di * si + dj * sj + dk * sk).length
        } } }.max()!
        let nx = grid.nx, ny = grid.ny
        return SliceParallel.build(slices: grid.nz, sliceSize: nx * ny) { (k: Int, out: SliceParallel.SharedOutput<UInt16>) in
            let corner = pose.toHead(grid.positionLPS(i: 0, j: 0, k: Double(k)))
            let candidates = nearSlice(corner: corner, di: di * Double(nx - 1), dj: dj * Double(ny - 1),
                                       reachMM: reachMM)
            let sliceBase = out.base + k * nx * ny
            for j in 0..<ny {
                let rowStart = corner + dj * Double(j)
                for i in 0..<nx {
                    let p = rowStart + di * Double(i)
                    let (m, r) = background(at: p)
                    let fill = candidates.isEmpty ? (kind: VesselKind.none, level: 0)
                        : VesselSampler.fill(centre: p, offsets: offsets, reachMM: reachMM, candidates: candidates)
                    sliceBase[i + nx * j] = VoxelClass(material: m, region: r, vessel: fill.kind, level: fill.level).index
                }
            }
        }
    }

    /// Capsules whose z extent reaches the slice spanned from `corner` by `di` and `dj`.
    private func nearSlice(corner: Vector3, di: Vector3, dj: Vector3, reachMM: Double) -> [Capsule] {
        let zs = [corner.z, corner.z + di.z, corner.z + dj.z, corner.z + di.z + dj.z]
        let zMin = zs.min()! - reachMM, zMax = zs.max()! + reachMM
        return capsules.filter { $0.boxMin.z < zMax && $0.boxMax.z > zMin }
    }
}
