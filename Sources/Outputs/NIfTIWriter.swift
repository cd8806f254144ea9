import Imaging

/// Reading and writing NIfTI-1 single files (.nii, and gzip-compressed .nii.gz).
public enum NIfTI {
    /// xyzt_units written: millimetres (2) + seconds (8).
    public static let unitsMillimetreSecond = 10

    /// Writes a 3D volume. The voxel order and the sform/qform are dcm2niix's for the same series
    /// (see `NIfTIGeometry`). The path must end in ".nii" (plain) or ".nii.gz" (gzip). The file
    /// appears under its final name only when complete (temp file, fsync, rename).
    /// - Parameters:
    ///   - dataType: uint8 and int16 store the nearest integer; a value out of range or not
    ///     finite throws `OutputsError` (.invalidArgument) and nothing is written.
    ///   - description: the descrip field, cut to 79 bytes.
    public static func write(_ volume: Volume3D, to path: String, dataType: NIfTIDataType,
                             description: String = "") throws {
        try write(grid: volume.grid, nt: nil, timeStep: 0, values: volume.values,
                  to: path, dataType: dataType, description: description)
    }

    /// Writes a 4D volume (x, y, z, t) as `write(_: Volume3D ...)` does; pixdim[4] is the median
    /// frame interval in seconds (0 for a single frame). Variable sampling cannot be stored in
    /// NIfTI-1: keep the true frame times in a side file.
    public static func write(_ volume: Volume4D, to path: String, dataType: NIfTIDataType,
                             description: String = "") throws {
        try write(grid: volume.grid, nt: volume.nt, timeStep: medianInterval(volume.frameTimes),
                  values: volume.values, to: path, dataType: dataType, description: description)
    }

    /// Median of the differences of consecutive frame times, in seconds (0 with fewer than 2).
    static func medianInterval(_ frameTimes: [Double]) -> Double {
        guard frameTimes.count >= 2 else { return 0 }
        let steps = zip(frameTimes.dropFirst(), frameTimes).map { $0 - $1 }.sorted()
        let mid = steps.count / 2
        return steps.count % 2 == 1 ? steps[mid] : (steps[mid - 1] + steps[mid]) / 2
    }

    /// The header for a grid written in `NIfTIGeometry.writeOrder`.
    static func header(grid: Grid, nt: Int?, timeStep: Double, dataType: NIfTIDataType,
                       description: String) -> NIfTIHeader {
        var h = NIfTIHeader()
        h.dim = [nt == nil ? 3 : 4, grid.nx, grid.ny, grid.nz, nt ?? 1, 1, 1, 1]
        h.datatype = dataType.code
        h.bitpix = dataType.bitsPerVoxel
        h.xyztUnits = unitsMillimetreSecond
        h.description = description

        let sformRAS = NIfTIGeometry.affineRAS(of: grid)
        h.sformCode = 1
        h.srowX = [sformRAS[0, 0], sformRAS[0, 1], sformRAS[0, 2], sformRAS[0, 3]]
        h.srowY = [sformRAS[1, 0], sformRAS[1, 1], sformRAS[1, 2], sformRAS[1, 3]]
        h.srowZ = [sformRAS[2, 0], sformRAS[2, 1], sformRAS[2, 2], sformRAS[2, 3]]

        let qfac = sformRAS.determinant3 < 0 ? -1.0 : 1.0
        let voxelSize: Vector3
        if NIfTIGeometry.isSheared(sformRAS) {
            // No quaternion can express shear: qform_code 0 and an empty quaternion. pixdim[3] is
            // the slice spacing normal to the i-j plane, so pixdim[1]*[2]*[3] is the voxel volume.
            let ci = sformRAS.columnI, cj = sformRAS.columnJ
            voxelSize = Vector3(ci.length, cj.length, abs(sformRAS.determinant3) / ci.cross(cj).length)
            h.qformCode = 0
        } else {
            let q = NIfTIQuaternion(affineRAS: sformRAS)
            voxelSize = q.pixdim
            h.qformCode = 1
            (h.quaternB, h.quaternC, h.quaternD) = (q.b, q.c, q.d)
            h.qoffset = q.offsetRAS.array
        }
        h.pixdim = [qfac, voxelSize.x, voxelSize.y, voxelSize.z, nt == nil ? 0 : timeStep, 0, 0, 0]
        return h
    }

    /// Size of the pieces the voxel data is encoded and written in.
    static let writeChunkBytes = 1 << 20

    private static func write(grid: Grid, nt: Int?, timeStep: Double, values: [Float], to path: String,
                              dataType: NIfTIDataType, description: String) throws {
        let frames = nt ?? 1
        guard values.count == grid.voxelCount * frames else {
            throw OutputsError(.invalidArgument, "\(path): \(values.count) values for a "
                               + "\(grid.nx)x\(grid.ny)x\(grid.nz)x\(frames) volume")
        }
        for n in [grid.nx, grid.ny, grid.nz, frames] where n < 1 || n > Int(Int16.max) {
            throw OutputsError(.invalidArgument, "\(path): dimension \(n) is outside 1...32767 (NIfTI-1 limit)")
        }
        let det = grid.affineLPS.determinant3
        guard det.isFinite, abs(det) > 1e-12, grid.affineLPS.m.allSatisfy(\.isFinite) else {
            throw OutputsError(.invalidArgument, "\(path): the grid's affine is singular or not finite "
                               + "(\(grid.affineLPS.m.prefix(12))); it places no voxel in the patient")
        }
        let compress = path.hasSuffix(".nii.gz")
        guard compress || path.hasSuffix(".nii") else {
            throw OutputsError(.invalidArgument, "\(path): a NIfTI file name must end in .nii or .nii.gz")
        }
        let h = header(grid: grid, nt: nt, timeStep: timeStep, dataType: dataType, description: description)
        try AtomicFile.write(to: path) { file in
            if compress {
                var gz = try GzipSink(inner: file)
                try encode(header: h, grid: grid, frames: frames, values: values, dataType: dataType,
                           path: path, into: &gz)
                try gz.finish()
            } else {
                try encode(header: h, grid: grid, frames: frames, values: values, dataType: dataType,
                           path: path, into: &file)
            }
        }
    }

    /// Streams header and voxels (rows in `NIfTIGeometry.writeOrder`) into `sink`.
    private static func encode<S: ByteSink>(header: NIfTIHeader, grid: Grid, frames: Int, values: [Float],
                                            dataType: NIfTIDataType, path: String, into sink: inout S) throws {
        var chunk = header.encoded()
        chunk.reserveCapacity(writeChunkBytes + grid.nx * 4)
        let order = NIfTIGeometry.writeOrder
        let (nx, ny, nz) = (grid.nx, grid.ny, grid.nz)
        try values.withUnsafeBufferPointer { all in
            for t in 0..<frames {
                for k in 0..<nz {
                    for j in 0..<ny {
                        let start = order.rowOffset(j: j, k: k, t: t, nx: nx, ny: ny, nz: nz)
                        let row = UnsafeBufferPointer(rebasing: all[start..<start + nx])
                        try NIfTIVoxelCoding.append(row, as: dataType, to: &chunk, path: path) { i in
                            let g = start + i
                            let gi = g % nx, gj = (g / nx) % ny, gk = (g / (nx * ny)) % nz
                            return "grid voxel (i \(gi), j \(gj), k \(gk)" + (frames > 1 ? ", t \(t))" : ")")
                        }
                        if chunk.count >= writeChunkBytes {
                            try chunk.withUnsafeBytes { try sink.write($0) }
                            chunk.removeAll(keepingCapacity: true)
                        }
                    }
                }
            }
        }
        try chunk.withUnsafeBytes { try sink.write($0) }
    }
}

/// Compresses everything written to it (gzip) into another sink; `finish()` writes the trailer.
struct GzipSink<Inner: ByteSink>: ByteSink {
    private var inner: Inner
    private let deflater: GzipDeflater

    init(inner: Inner, level: Int32 = 6) throws {
        self.inner = inner
        self.deflater = try GzipDeflater(level: level)
    }

    mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        try deflater.compress(bytes, finish: false) { try inner.write($0) }
    }

    mutating func finish() throws {
        try deflater.compress(UnsafeRawBufferPointer(start: nil, count: 0), finish: true) { try inner.write($0) }
    }
}
