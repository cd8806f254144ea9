/// The 348-byte NIfTI-1 header (nifti1.h), the fields this module reads and writes, at their
/// byte offsets. Unused fields (data_type, db_name, extents, session_error, dim_info, intent_*,
/// slice_*, cal_*, toffset, glmax/glmin, aux_file, intent_name) are written as zero, except
/// regular = 'r' as dcm2niix writes it.
struct NIfTIHeader: Equatable {
    static let size = 348
    /// Data start for a single-file .nii: header + 4-byte extension flag (all zero: no extensions).
    static let singleFileVoxOffset = 352

    var dim: [Int] = [0, 1, 1, 1, 1, 1, 1, 1]          // dim[0] = rank
    var datatype: Int = 0
    var bitpix: Int = 0
    var pixdim: [Double] = [1, 0, 0, 0, 0, 0, 0, 0]    // pixdim[0] = qfac
    var voxOffset: Double = Double(singleFileVoxOffset)
    var sclSlope: Double = 1
    var sclInter: Double = 0
    var xyztUnits: Int = 0
    var description: String = ""
    var qformCode: Int = 0
    var sformCode: Int = 0
    var quaternB: Double = 0
    var quaternC: Double = 0
    var quaternD: Double = 0
    var qoffset: [Double] = [0, 0, 0]
    var srowX: [Double] = [0, 0, 0, 0]
    var srowY: [Double] = [0, 0, 0, 0]
    var srowZ: [Double] = [0, 0, 0, 0]
    var magic: String = "n+1"

    /// Little-endian bytes: the 348-byte header followed by the 4-byte extension flag (zero).
    func encoded() -> [UInt8] {
        var w = ByteWriter(count: NIfTIHeader.singleFileVoxOffset)
        w.int32(at: 0, Int32(NIfTIHeader.size))
        w.bytes(at: 38, [UInt8(ascii: "r")])
        for n in 0..<8 { w.int16(at: 40 + 2 * n, Int16(dim[n])) }
        w.int16(at: 70, Int16(datatype))
        w.int16(at: 72, Int16(bitpix))
        for n in 0..<8 { w.float32(at: 76 + 4 * n, Float(pixdim[n])) }
        w.float32(at: 108, Float(voxOffset))
        w.float32(at: 112, Float(sclSlope))
        w.float32(at: 116, Float(sclInter))
        w.bytes(at: 123, [UInt8(xyztUnits)])
        w.bytes(at: 148, NIfTIHeader.truncatedUTF8(description, maxBytes: 79))
        w.int16(at: 252, Int16(qformCode))
        w.int16(at: 254, Int16(sformCode))
        w.float32(at: 256, Float(quaternB))
        w.float32(at: 260, Float(quaternC))
        w.float32(at: 264, Float(quaternD))
        for n in 0..<3 { w.float32(at: 268 + 4 * n, Float(qoffset[n])) }
        for n in 0..<4 {
            w.float32(at: 280 + 4 * n, Float(srowX[n]))
            w.float32(at: 296 + 4 * n, Float(srowY[n]))
            w.float32(at: 312 + 4 * n, Float(srowZ[n]))
        }
        w.bytes(at: 344, Array(magic.utf8.prefix(3)) + [0])
        return w.buffer
    }

    /// Parses a header; `name` is used in error messages. Either byte order is accepted
    /// (decided by sizeof_hdr); `isBigEndian` reports which one the file uses.
    static func decode(_ bytes: [UInt8], name: String) throws -> (header: NIfTIHeader, isBigEndian: Bool) {
        guard bytes.count >= size else {
            throw OutputsError(.truncated, "\(name): truncated: \(bytes.count) bytes, a NIfTI-1 header needs \(size)")
        }
        let little = ByteReader(bytes: bytes, bigEndian: false)
        let big = ByteReader(bytes: bytes, bigEndian: true)
        let r: ByteReader
        if little.int32(at: 0) == Int32(size) {
            r = little
        } else if big.int32(at: 0) == Int32(size) {
            r = big
        } else if little.int32(at: 0) == 540 || big.int32(at: 0) == 540 {
            throw OutputsError(.unsupported, "\(name): NIfTI-2 file (sizeof_hdr 540); only NIfTI-1 is supported")
        } else {
            throw OutputsError(.notNIfTI, "\(name): not a NIfTI-1 file (sizeof_hdr \(little.int32(at: 0)), expected 348)")
        }
        let magic = r.string(at: 344, maxBytes: 4)
        guard magic == "n+1" || magic == "ni1" else {
            throw OutputsError(.notNIfTI, "\(name): not a NIfTI-1 file (magic '\(magic)')")
        }
        var h = NIfTIHeader()
        h.magic = magic
        h.dim = (0..<8).map { Int(r.int16(at: 40 + 2 * $0)) }
        h.datatype = Int(r.int16(at: 70))
        h.bitpix = Int(r.int16(at: 72))
        h.pixdim = (0..<8).map { Double(r.float32(at: 76 + 4 * $0)) }
        h.voxOffset = Double(r.float32(at: 108))
        h.sclSlope = Double(r.float32(at: 112))
        h.sclInter = Double(r.float32(at: 116))
        h.xyztUnits = Int(bytes[123])
        h.description = r.string(at: 148, maxBytes: 80)
        h.qformCode = Int(r.int16(at: 252))
        h.sformCode = Int(r.int16(at: 254))
        h.quaternB = Double(r.float32(at: 256))
        h.quaternC = Double(r.float32(at: 260))
        h.quaternD = Double(r.float32(at: 264))
        h.qoffset = (0..<3).map { Double(r.float32(at: 268 + 4 * $0)) }
        h.srowX = (0..<4).map { Double(r.float32(at: 280 + 4 * $0)) }
        h.srowY = (0..<4).map { Double(r.float32(at: 296 + 4 * $0)) }
        h.srowZ = (0..<4).map { Double(r.float32(at: 312 + 4 * $0)) }
        return (h, r.bigEndian)
    }

    /// At most `maxBytes` bytes of UTF-8, cut at a character boundary.
    static func truncatedUTF8(_ s: String, maxBytes: Int) -> [UInt8] {
        var out: [UInt8] = []
        for ch in s {
            let bytes = Array(String(ch).utf8)
            if out.count + bytes.count > maxBytes { break }
            out += bytes
        }
        return out
    }
}

/// Fixed-size little-endian byte buffer with writes at offsets.
struct ByteWriter {
    var buffer: [UInt8]
    init(count: Int) { buffer = [UInt8](repeating: 0, count: count) }

    mutating func bytes(at offset: Int, _ b: [UInt8]) {
        buffer.replaceSubrange(offset..<offset + b.count, with: b)
    }
    mutating func int16(at offset: Int, _ v: Int16) {
        let u = UInt16(bitPattern: v)
        bytes(at: offset, [UInt8(u & 0xff), UInt8(u >> 8)])
    }
    mutating func int32(at offset: Int, _ v: Int32) {
        let u = UInt32(bitPattern: v)
        bytes(at: offset, (0..<4).map { UInt8((u >> (8 * $0)) & 0xff) })
    }
    mutating func float32(at offset: Int, _ v: Float) {
        int32(at: offset, Int32(bitPattern: v.bitPattern))
    }
}

/// Reads integers and floats of either byte order from a byte array.
struct ByteReader {
    let bytes: [UInt8]
    let bigEndian: Bool

    func uint(at offset: Int, size: Int) -> UInt64 {
        var v: UInt64 = 0
        for n in 0..<size {
            let b = UInt64(bytes[offset + (bigEndian ? n : size - 1 - n)])
            v = v << 8 | b
        }
        return v
    }
    func int16(at offset: Int) -> Int16 { Int16(bitPattern: UInt16(uint(at: offset, size: 2))) }
    func int32(at offset: Int) -> Int32 { Int32(bitPattern: UInt32(uint(at: offset, size: 4))) }
    func float32(at offset: Int) -> Float { Float(bitPattern: UInt32(uint(at: offset, size: 4))) }

    /// A NUL-terminated string of at most `maxBytes` bytes (invalid UTF-8 repaired).
    func string(at offset: Int, maxBytes: Int) -> String {
        let raw = bytes[offset..<offset + maxBytes]
        let end = raw.firstIndex(of: 0) ?? raw.endIndex
        return String(decoding: raw[raw.startIndex..<end], as: UTF8.self)
    }
}
