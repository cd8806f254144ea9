import Imaging

/// Voxel types the writer produces (NIfTI datatype codes 2, 4, 16; little endian).
public enum NIfTIDataType: Sendable, Equatable, CaseIterable {
    case uint8
    case int16
    case float32

    /// NIfTI-1 datatype code (DT_UINT8 = 2, DT_INT16 = 4, DT_FLOAT32 = 16).
    public var code: Int {
        switch self {
        case .uint8: return 2
        case .int16: return 4
        case .float32: return 16
        }
    }

    /// Bits per voxel (the header's bitpix).
    public var bitsPerVoxel: Int {
        switch self {
        case .uint8: return 8
        case .int16: return 16
        case .float32: return 32
        }
    }
}

/// A NIfTI-1 image as stored in the file: header fields and the voxel values in file order.
///
/// Frames: `sformRAS` and `qformRAS` map NIfTI voxel indices (file order, x fastest) to RAS mm.
/// Use `NIfTI.readVolume3D` to get a volume in our grid convention (DICOM order, LPS).
public struct NIfTIImage: Sendable {
    /// Sizes: [nx, ny, nz] or [nx, ny, nz, nt] (dim[1...dim[0]]).
    public var dims: [Int]
    /// pixdim[0...7] as stored: [0] qfac (±1), [1...3] voxel size (mm with xyzt_units 10),
    /// [4] time step (s with xyzt_units 10).
    public var pixdim: [Double]
    /// NIfTI datatype code of the stored voxels (2 uint8, 4 int16, 8 int32, 16 float32,
    /// 64 float64, 512 uint16).
    public var datatypeCode: Int
    /// 0 unknown, 1 scanner anatomical, 2 aligned, 3 Talairach, 4 MNI.
    public var qformCode: Int
    public var sformCode: Int
    /// srow_x/y/z: voxel index -> RAS mm (meaningful when sformCode > 0).
    public var sformRAS: Affine
    /// Built from quatern_b/c/d, qoffset, pixdim[1...3] and qfac (nifti_quatern_to_mat44);
    /// computed from the stored fields whatever qformCode says (meaningful when qformCode > 0).
    public var qformRAS: Affine
    /// xyzt_units: spatial unit | time unit (2 mm + 8 s = 10).
    public var xyztUnits: Int
    /// descrip (at most 79 bytes).
    public var description: String
    /// scl_slope / scl_inter as stored; already applied to `values` (slope 0 or NaN means none).
    public var sclSlope: Double
    public var sclInter: Double
    /// Voxel values after scaling, in file order: index = i + nx*(j + ny*(k + nz*t)).
    public var values: [Float]

    public init(dims: [Int], pixdim: [Double], datatypeCode: Int, qformCode: Int, sformCode: Int,
                sformRAS: Affine, qformRAS: Affine, xyztUnits: Int, description: String,
                sclSlope: Double, sclInter: Double, values: [Float]) {
        self.dims = dims
        self.pixdim = pixdim
        self.datatypeCode = datatypeCode
        self.qformCode = qformCode
        self.sformCode = sformCode
        self.sformRAS = sformRAS
        self.qformRAS = qformRAS
        self.xyztUnits = xyztUnits
        self.description = description
        self.sclSlope = sclSlope
        self.sclInter = sclInter
        self.values = values
    }

    /// The voxel-to-RAS affine a reader should use, as nibabel does: the sform when its code is
    /// set, else the qform when its code is set, else nil (no position in the patient).
    public var affineRAS: Affine? {
        if sformCode > 0 { return sformRAS }
        if qformCode > 0 { return qformRAS }
        return nil
    }
}
