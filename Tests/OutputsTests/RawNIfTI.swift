import Imaging

func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * UInt32($0))) & 0xff) } }

/// Builds NIfTI-1 files byte by byte (independently of the writer) to test the reader.
enum RawNIfTI {
    static func make(dims: [Int], datatype: Int, bitpix: Int, sform: Affine, data: [UInt8],
                     slope: Float = 1, inter: Float = 0, sformCode: Int = 1, qformCode: Int = 0,
                     magic: String = "n+1") -> [UInt8] {
        var b = [UInt8](repeating: 0, count: 352)
        RawLE.put32(&b, 0, 348)
        RawLE.put16(&b, 40, dims.count)
        for (n, d) in dims.enumerated() { RawLE.put16(&b, 42 + 2 * n, d) }
        for n in dims.count..<7 { RawLE.put16(&b, 42 + 2 * n, 1) }
        RawLE.put16(&b, 70, datatype)
        RawLE.put16(&b, 72, bitpix)
        RawLE.putFloat(&b, 76, 1)
        for n in 0..<3 { RawLE.putFloat(&b, 80 + 4 * n, Float(sform.m[n] * sform.m[n] + sform.m[4 + n] * sform.m[4 + n]
                                                             + sform.m[8 + n] * sform.m[8 + n]).squareRoot()) }
        RawLE.putFloat(&b, 108, 352)
        RawLE.putFloat(&b, 112, slope)
        RawLE.putFloat(&b, 116, inter)
        b[123] = 10
        RawLE.put16(&b, 252, qformCode)
        RawLE.put16(&b, 254, sformCode)
        for row in 0..<3 { for col in 0..<4 { RawLE.putFloat(&b, 280 + 16 * row + 4 * col, Float(sform[row, col])) } }
        for (n, c) in magic.utf8.prefix(4).enumerated() { b[344 + n] = c }
        return b + data
    }
}
