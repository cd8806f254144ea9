import Imaging

/// How NIfTI's voxel order relates to our grid's: which axes are reversed. Reversing an axis is
/// its own inverse, so the same order maps grid -> file and file -> grid.
public struct NIfTIVoxelOrder: Sendable, Equatable {
    /// NIfTI row j' holds our row ny-1-j' (DICOM's last image row first).
    public var flipJ: Bool
    /// NIfTI slice k' holds our slice nz-1-k'.
    public var flipK: Bool

    public init(flipJ: Bool, flipK: Bool) {
        self.flipJ = flipJ
        self.flipK = flipK
    }

    /// Affine on voxel indices taking a NIfTI index (i, j', k') to our grid index (i, j, k)
    /// (and, being an involution, the other way round too).
    public func indexMap(ny: Int, nz: Int) -> Affine {
        Affine(rows: [[1, 0, 0, 0],
                      [0, flipJ ? -1 : 1, 0, flipJ ? Double(ny - 1) : 0],
                      [0, 0, flipK ? -1 : 1, flipK ? Double(nz - 1) : 0],
                      [0, 0, 0, 1]])
    }

    /// Offset, in an x-fastest array of size nx*ny*nz*nt, of the first voxel of the row that
    /// corresponds to row `j` of slice `k` at time `t` in the other order.
    @inlinable
    public func rowOffset(j: Int, k: Int, t: Int, nx: Int, ny: Int, nz: Int) -> Int {
        let jj = flipJ ? ny - 1 - j : j
        let kk = flipK ? nz - 1 - k : k
        return nx * (jj + ny * (kk + nz * t))
    }

    /// The values rearranged into the other order (file order <-> grid order), x fastest.
    public func reorder(_ values: [Float], nx: Int, ny: Int, nz: Int, nt: Int) -> [Float] {
        precondition(values.count == nx * ny * nz * nt)
        if !flipJ && !flipK { return values }
        var out = [Float](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                var o = 0
                for t in 0..<nt {
                    for k in 0..<nz {
                        for j in 0..<ny {
                            let s = rowOffset(j: j, k: k, t: t, nx: nx, ny: ny, nz: nz)
                            for i in 0..<nx { dst[o + i] = src[s + i] }
                            o += nx
                        }
                    }
                }
            }
        }
        return out
    }
}

/// The one place where our grid convention meets NIfTI's, matching dcm2niix v1.0.20220720.
///
/// Our `Grid`: i along the image row (DICOM columns), j down the image (DICOM rows, first row
/// first), k ascending along the slice normal (row direction x column direction); `affineLPS`
/// maps voxel centres to DICOM patient LPS mm.
///
/// dcm2niix, measured on axial, axial-descending, coronal, sagittal and oblique CT series
/// (see the OutputsTests dcm2niix comparison):
/// - columns (i) keep DICOM order;
/// - rows are reversed: NIfTI row j' is DICOM row ny-1-j';
/// - slices are sorted ascending along the slice normal whether InstanceNumber runs up or down
///   the stack, i.e. the same k as ours (with InstanceNumber out of positional order dcm2niix
///   warns "Interslice distance varies" and keeps the instance order: no single grid exists then);
/// - sform = qform = `lpsToRAS * affineLPS * rowFlip`, so voxel (0, 0, 0) is the first column of
///   the LAST DICOM row of the lowest slice; both codes 1 (scanner); pixdim[0] (qfac) = -1 since
///   the row flip makes the map left-handed.
///
/// A gantry-tilted (sheared) grid keeps the exact sform; a quaternion cannot express shear, so
/// such files are written with qform_code 0. (dcm2niix instead writes an approximate unsheared
/// qform/sform, plus a resampled "_Tilt_1" copy; we do not follow it there.)
public enum NIfTIGeometry {
    /// Voxel order of the files we write (dcm2niix's): rows reversed, slices as in the grid.
    public static let writeOrder = NIfTIVoxelOrder(flipJ: true, flipK: false)

    /// Largest |cos| between two affine columns that still counts as orthogonal (about 0.057°).
    /// Above it the affine is sheared and gets no qform.
    public static let shearTolerance = 1e-3

    /// The voxel-to-RAS affine (sform) of a grid written in `writeOrder`.
    public static func affineRAS(of grid: Grid) -> Affine {
        PatientFrame.toRAS(affineLPS: grid.affineLPS) * writeOrder.indexMap(ny: grid.ny, nz: grid.nz)
    }

    /// True when the affine's columns are not mutually orthogonal (gantry tilt), so that no
    /// qform can represent it.
    public static func isSheared(_ affine: Affine) -> Bool {
        let u = affine.columnI.normalized, v = affine.columnJ.normalized, w = affine.columnK.normalized
        return max(abs(u.dot(v)), abs(u.dot(w)), abs(v.dot(w))) > shearTolerance
    }

    /// Our grid for a NIfTI image of nx x ny x nz voxels with the given voxel-to-RAS affine, and
    /// the voxel order that turns the file's values into grid order. The inverse of the writer:
    /// rows are reversed back; slices are reversed too if the file's k runs against the slice
    /// normal (files from other tools), so the grid always has k ascending along the normal.
    public static func grid(nx: Int, ny: Int, nz: Int, affineRAS: Affine) -> (grid: Grid, order: NIfTIVoxelOrder) {
        let fileLPS = PatientFrame.toLPS(affineRAS: affineRAS)
        let rowsBack = NIfTIVoxelOrder(flipJ: writeOrder.flipJ, flipK: false)
        let candidateLPS = fileLPS * rowsBack.indexMap(ny: ny, nz: nz)
        let normalLPS = candidateLPS.columnI.cross(candidateLPS.columnJ)
        let order = NIfTIVoxelOrder(flipJ: writeOrder.flipJ, flipK: candidateLPS.columnK.dot(normalLPS) < 0)
        let affineLPS = fileLPS * order.indexMap(ny: ny, nz: nz)
        return (Grid(nx: nx, ny: ny, nz: nz, affineLPS: affineLPS), order)
    }
}
