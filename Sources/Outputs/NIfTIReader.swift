#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FileSystem
import Imaging

extension NIfTI {
    /// Reads a single-file NIfTI-1 image (.nii, or gzip-compressed whatever the name says).
    /// Accepts uint8, int16, uint16, int32, float32 and float64 voxels of either byte order and
    /// applies scl_slope/scl_inter (slope 0 means none). Values are returned in file order.
    /// Errors (`OutputsError`) name the file and what is wrong with it.
    public static func read(path: String) throws -> NIfTIImage {
        let (bytes, wasGzip) = try readFileBytes(path: path)
        let (h, bigEndian) = try NIfTIHeader.decode(bytes, name: path)
        if h.magic == "ni1" {
            throw OutputsError(.unsupported, "\(path): two-file NIfTI (.hdr/.img, magic 'ni1'); "
                               + "convert it to a single .nii file")
        }
        let rank = h.dim[0]
        guard rank == 3 || rank == 4 else {
            throw OutputsError(.unsupported, "\(path): \(rank)-dimensional image; only 3D and 4D are supported")
        }
        let dims = Array(h.dim[1...rank])
        guard dims.allSatisfy({ $0 >= 1 }) else {
            throw OutputsError(.notNIfTI, "\(path): invalid dimensions \(dims.map(String.init).joined(separator: "x"))")
        }
        guard let stored = NIfTIVoxelCoding.readable[h.datatype] else {
            throw OutputsError(.unsupported, "\(path): datatype \(h.datatype) is not supported "
                               + "(uint8, int16, uint16, int32, float32 and float64 are)")
        }
        let offset = Int(h.voxOffset)
        guard h.voxOffset.isFinite, offset >= NIfTIHeader.size else {
            throw OutputsError(.notNIfTI, "\(path): vox_offset \(h.voxOffset) lies inside the 348-byte header")
        }
        let count = dims.reduce(1, *)
        let needed = offset + count * stored.bytes
        guard bytes.count >= needed else {
            throw OutputsError(.truncated, "\(path): truncated: header describes "
                               + "\(dims.map(String.init).joined(separator: "x")) \(stored.name) voxels "
                               + "(\(count * stored.bytes) bytes from offset \(offset)) but the "
                               + "\(wasGzip ? "uncompressed " : "")file has \(bytes.count) bytes")
        }
        let values = NIfTIVoxelCoding.decode(bytes, offset: offset, count: count, code: h.datatype,
                                             bigEndian: bigEndian, slope: h.sclSlope, inter: h.sclInter)
        let quaternion = NIfTIQuaternion(b: h.quaternB, c: h.quaternC, d: h.quaternD, qfac: h.pixdim[0],
                                         pixdim: Vector3(h.pixdim[1], h.pixdim[2], h.pixdim[3]),
                                         offsetRAS: Vector3(h.qoffset))
        let sformRAS = Affine(rows: [h.srowX, h.srowY, h.srowZ, [0, 0, 0, 1]])
        return NIfTIImage(dims: dims, pixdim: h.pixdim, datatypeCode: h.datatype, qformCode: h.qformCode,
                          sformCode: h.sformCode, sformRAS: sformRAS, qformRAS: quaternion.affineRAS,
                          xyztUnits: h.xyztUnits, description: h.description,
                          sclSlope: h.sclSlope, sclInter: h.sclInter, values: values)
    }

    /// Reads a 3D image (or 4D with one frame) into our grid convention: the inverse of
    /// `write(_: Volume3D ...)`, so write -> read gives back the same values and `affineLPS`.
    /// Uses the sform when sform_code > 0, else the qform; files with neither are rejected.
    /// See `NIfTIGeometry.grid(nx:ny:nz:affineRAS:)` for the voxel order.
    public static func readVolume3D(path: String) throws -> Volume3D {
        let image = try read(path: path)
        guard image.dims.count == 3 || image.dims[3] == 1 else {
            throw OutputsError(.unsupported, "\(path): 4D image with \(image.dims[3]) frames; expected a 3D volume")
        }
        guard let affineRAS = image.affineRAS else {
            throw OutputsError(.unsupported, "\(path): sform_code and qform_code are both 0, so the "
                               + "image has no position in the patient; rewrite it with an sform or qform")
        }
        let (nx, ny, nz) = (image.dims[0], image.dims[1], image.dims[2])
        guard abs(affineRAS.determinant3) > 1e-12 else {
            throw OutputsError(.unsupported, "\(path): singular voxel-to-world affine")
        }
        let (grid, order) = NIfTIGeometry.grid(nx: nx, ny: ny, nz: nz, affineRAS: affineRAS)
        return Volume3D(grid: grid, values: order.reorder(image.values, nx: nx, ny: ny, nz: nz, nt: 1))
    }

    /// The file's bytes, gunzipped (streamed chunk by chunk) when it starts with the gzip magic.
    static func readFileBytes(path: String) throws -> (bytes: [UInt8], wasGzip: Bool) {
        try outputsIO { try readFileBytesRaw(path: path) }
    }

    private static func readFileBytesRaw(path: String) throws -> (bytes: [UInt8], wasGzip: Bool) {
        let fd = try PosixFile.openFile(path, flags: O_RDONLY | O_CLOEXEC)
        defer { PosixFile.closeIgnoringErrors(fd) }
        let size = try PosixFile.size(fd, path: path)
        var out: [UInt8] = []
        guard Gzip.isGzip(try PosixFile.readAt(fd, count: 2, offset: 0, path: path)) else {
            out.reserveCapacity(size)
            try PosixFile.readChunks(fd, path: path) { out.appendBytes($0) }
            return (out, false)
        }
        // The gzip trailer's ISIZE (uncompressed size mod 2^32) sizes the buffer; only a hint.
        let trailer = try PosixFile.readAt(fd, count: 4, offset: max(0, size - 4), path: path)
        if trailer.count == 4 {
            out.reserveCapacity(trailer.reversed().reduce(0) { $0 << 8 | Int($1) })
        }
        do {
            let inflater = try GzipInflater()
            try PosixFile.readChunks(fd, path: path) { chunk in
                try inflater.decompress(chunk) { out.appendBytes($0) }
            }
            try inflater.finish()
        } catch let error as OutputsError where error.code == .gzip || error.code == .truncated {
            throw OutputsError(error.code, "\(path): \(error.message)")
        }
        return (out, true)
    }
}
