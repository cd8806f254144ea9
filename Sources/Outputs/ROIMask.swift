import Foundation
import Imaging

/// A user ROI (--roi_mask, --contra_mask) brought onto the acquisition's grid: used as is when
/// the grids agree, else resampled by world coordinates (nearest neighbour), and refused with a
/// clear message when it does not overlap the perfusion slab.
public struct ROIMask: Sendable {
    public var path: String
    public var volume: Volume3D          // 0/1 on the acquisition's grid
    public var voxels: Int               // voxels set after mapping
    public var resampled: Bool

    public static func load(_ path: String, option: String, onto grid: Grid) throws -> ROIMask {
        let source: Volume3D
        do {
            source = try NIfTI.readVolume3D(path: path)
        } catch {
            throw AnalyzeFailure.unreadableInput("\(option) \(path): \(error)")
        }
        let sameGrid = source.grid.nx == grid.nx && source.grid.ny == grid.ny && source.grid.nz == grid.nz
            && source.grid.affineLPS.maxAbsDifference(grid.affineLPS) < 1e-3
        var mapped = source
        if !sameGrid {
            guard let r = Resample.nearest(source, onto: grid), r.voxelsInside > 0 else {
                throw AnalyzeFailure.unreadableInput("\(option) \(path): its grid does not overlap the perfusion slab (no voxel of the slab falls inside the mask's field of view)")
            }
            mapped = r.volume
        }
        mapped.values = mapped.values.map { $0 > 0.5 ? 1 : 0 }
        let count = mapped.values.reduce(0) { $0 + Int($1) }
        guard count > 0 else {
            throw AnalyzeFailure.unreadableInput("\(option) \(path): no voxel of the mask lies inside the perfusion slab" + (sameGrid ? " (the mask is empty)" : " after resampling by world coordinates"))
        }
        return ROIMask(path: path, volume: mapped, voxels: count, resampled: !sameGrid)
    }
}
