/// Conversion between Float voxel values and the stored NIfTI voxel types.
enum NIfTIVoxelCoding {
    /// Stored types the reader accepts: (datatype code, bytes per voxel, name).
    static let readable: [Int: (bytes: Int, name: String)] = [
        2: (1, "uint8"), 4: (2, "int16"), 512: (2, "uint16"), 8: (4, "int32"),
        16: (4, "float32"), 64: (8, "float64"),
    ]

    /// Appends `values` encoded as `type` (little endian) to `out`. Integer types take the
    /// nearest integer; a value that is not finite or out of range throws, naming the file, the
    /// value and its position (`describe` turns the offset in `values` into words).
    static func append(_ values: UnsafeBufferPointer<Float>, as type: NIfTIDataType, to out: inout [UInt8],
                       path: String, describe: (Int) -> String) throws {
        switch type {
        case .float32:
            for v in values {
                let u = v.bitPattern.littleEndian
                out.append(UInt8(truncatingIfNeeded: u)); out.append(UInt8(truncatingIfNeeded: u >> 8))
                out.append(UInt8(truncatingIfNeeded: u >> 16)); out.append(UInt8(truncatingIfNeeded: u >> 24))
            }
        case .int16:
            for (n, v) in values.enumerated() {
                let r = v.rounded(.toNearestOrAwayFromZero)
                guard r.isFinite, r >= -32768, r <= 32767 else {
                    throw outOfRange(v, type: type, range: "-32768...32767", path: path, at: describe(n))
                }
                let u = UInt16(bitPattern: Int16(r))
                out.append(UInt8(truncatingIfNeeded: u)); out.append(UInt8(truncatingIfNeeded: u >> 8))
            }
        case .uint8:
            for (n, v) in values.enumerated() {
                let r = v.rounded(.toNearestOrAwayFromZero)
                guard r.isFinite, r >= 0, r <= 255 else {
                    throw outOfRange(v, type: type, range: "0...255", path: path, at: describe(n))
                }
                out.append(UInt8(r))
            }
        }
    }

    private static func outOfRange(_ v: Float, type: NIfTIDataType, range: String, path: String,
                                   at position: String) -> OutputsError {
        OutputsError(.invalidArgument, "\(path): value \(v) at \(position) does not fit \(type) (\(range)); "
                     + "nothing was written; write this volume as float32")
    }

    /// Decodes `count` voxels of datatype `code` starting at `offset`, applying
    /// value * slope + inter when slope is finite and non-zero.
    static func decode(_ bytes: [UInt8], offset: Int, count: Int, code: Int, bigEndian: Bool,
                       slope: Double, inter: Double) -> [Float] {
        var out = [Float](unsafeUninitializedCapacity: count) { dst, initialized in
            bytes.withUnsafeBytes { raw in
                let src = UnsafeRawBufferPointer(rebasing: raw[offset...])
                func fill<T: FixedWidthInteger>(_: T.Type, _ f: (T) -> Float) {
                    for n in 0..<count {
                        let v = src.loadUnaligned(fromByteOffset: n * MemoryLayout<T>.size, as: T.self)
                        dst[n] = f(bigEndian ? T(bigEndian: v) : T(littleEndian: v))
                    }
                }
                switch code {
                case 2: fill(UInt8.self) { Float($0) }
                case 4: fill(Int16.self) { Float($0) }
                case 512: fill(UInt16.self) { Float($0) }
                case 8: fill(Int32.self) { Float($0) }
                case 16: fill(UInt32.self) { Float(bitPattern: $0) }
                case 64: fill(UInt64.self) { Float(Double(bitPattern: $0)) }
                default: preconditionFailure("datatype \(code) is checked by the reader")
                }
            }
            initialized = count
        }
        if slope != 0 && slope.isFinite && (slope != 1 || inter != 0) {
            for n in 0..<count { out[n] = Float(Double(out[n]) * slope + (inter.isFinite ? inter : 0)) }
        }
        return out
    }
}
