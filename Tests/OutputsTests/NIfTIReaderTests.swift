import Foundation
import Imaging
import Testing
@testable import Outputs

/// The reader on files built byte by byte: other voxel types, scaling, and broken files.
@Suite struct NIfTIReaderTests {
    static let sform = Affine(rows: [[-1, 0, 0, 3], [0, 1, 0, -4], [0, 0, 2, 5], [0, 0, 0, 1]])

    static func le(_ v: UInt64, bytes n: Int) -> [UInt8] { (0..<n).map { UInt8((v >> (8 * UInt64($0))) & 0xff) } }

    struct StoredCase: Sendable, CustomTestStringConvertible {
        let datatype: Int, bitpix: Int, data: [UInt8], expected: [Float]
        var testDescription: String { "datatype \(datatype)" }
    }

    static let storedCases: [StoredCase] = {
        let u16: [UInt8] = [0, 1, 65535].flatMap { le(UInt64($0), bytes: 2) }
        let i32: [UInt8] = [-5, 0, 100_000].flatMap { le(UInt64(bitPattern: Int64($0)), bytes: 4) }
        let f64: [UInt8] = [-1.5, 0, 2.25].flatMap { (v: Double) in le(v.bitPattern, bytes: 8) }
        let i16: [UInt8] = [-32768, 0, 32767].flatMap { le(UInt64(bitPattern: Int64($0)), bytes: 2) }
        let f32: [UInt8] = [Float(-0.5), 0, 1e30].flatMap { le(UInt64($0.bitPattern), bytes: 4) }
        return [
            StoredCase(datatype: 512, bitpix: 16, data: u16, expected: [0, 1, 65535]),
            StoredCase(datatype: 8, bitpix: 32, data: i32, expected: [-5, 0, 100_000]),
            StoredCase(datatype: 64, bitpix: 64, data: f64, expected: [-1.5, 0, 2.25]),
            StoredCase(datatype: 2, bitpix: 8, data: [0, 7, 255], expected: [0, 7, 255]),
            StoredCase(datatype: 4, bitpix: 16, data: i16, expected: [-32768, 0, 32767]),
            StoredCase(datatype: 16, bitpix: 32, data: f32, expected: [-0.5, 0, 1e30]),
        ]
    }()

    @Test(arguments: storedCases)
    func readsStoredTypes(_ c: StoredCase) throws {
        try withTempDirectory { dir in
            try writeBytes(RawNIfTI.make(dims: [3, 1, 1], datatype: c.datatype, bitpix: c.bitpix, sform: Self.sform,
                                         data: c.data), to: dir + "/t.nii")
            let image = try NIfTI.read(path: dir + "/t.nii")
            #expect(image.values == c.expected)
            #expect(image.datatypeCode == c.datatype)
            #expect(image.dims == [3, 1, 1])
        }
    }

    @Test func appliesSlopeAndInterceptButNotAZeroSlope() throws {
        let data = [10, 20].flatMap { Self.le(UInt64($0), bytes: 2) }
        try withTempDirectory { dir in
            try writeBytes(RawNIfTI.make(dims: [2, 1, 1], datatype: 4, bitpix: 16, sform: Self.sform, data: data,
                                         slope: 0.5, inter: -1024), to: dir + "/s.nii")
            #expect(try NIfTI.read(path: dir + "/s.nii").values == [-1019, -1014])
            try writeBytes(RawNIfTI.make(dims: [2, 1, 1], datatype: 4, bitpix: 16, sform: Self.sform, data: data,
                                         slope: 0, inter: -1024), to: dir + "/z.nii")
            #expect(try NIfTI.read(path: dir + "/z.nii").values == [10, 20])
        }
    }

    @Test func readsBigEndianFiles() throws {
        var b = RawNIfTI.make(dims: [2, 1, 1], datatype: 4, bitpix: 16, sform: Self.sform, data: [0x01, 0x02, 0xff, 0xfe])
        // Swap every header field to big endian: int32 at 0, int16 dims/codes, float32 fields.
        func swap(_ o: Int, _ n: Int) { b[o..<o + n].reverse() }
        swap(0, 4)
        for o in stride(from: 40, to: 56, by: 2) { swap(o, 2) }
        swap(70, 2); swap(72, 2); swap(252, 2); swap(254, 2)
        for o in stride(from: 76, to: 120, by: 4) { swap(o, 4) }
        for o in stride(from: 280, to: 328, by: 4) { swap(o, 4) }
        try withTempDirectory { dir in
            try writeBytes(b, to: dir + "/be.nii")
            let image = try NIfTI.read(path: dir + "/be.nii")
            #expect(image.values == [0x0102, -2])   // 0x0102 and 0xfffe read big-endian
            #expect(image.sformRAS.maxAbsDifference(Self.sform) < 1e-6)
        }
    }

    @Test func readsGzippedFilesWhateverTheirName() throws {
        let raw = RawNIfTI.make(dims: [2, 1, 1], datatype: 2, bitpix: 8, sform: Self.sform, data: [4, 5])
        try withTempDirectory { dir in
            try writeBytes(try Gzip.compress(raw), to: dir + "/packed.nii")
            #expect(try NIfTI.read(path: dir + "/packed.nii").values == [4, 5])
        }
    }

    // MARK: broken files

    func error(reading bytes: [UInt8], name: String = "cbf.nii") throws -> OutputsError {
        try withTempDirectory { dir in
            let path = dir + "/" + name
            try writeBytes(bytes, to: path)
            return try #require(throws: OutputsError.self) { try NIfTI.read(path: path) }
        }
    }

    func goodFile() throws -> [UInt8] {
        try withTempDirectory { dir in
            try NIfTI.write(Volume3D(grid: TestGrids.axial, values: TestGrids.distinctValues(TestGrids.axial)),
                            to: dir + "/g.nii", dataType: .int16)
            return try readBytes(dir + "/g.nii")
        }
    }

    @Test func wrongMagicIsNamed() throws {
        var b = try goodFile()
        b.replaceSubrange(344..<348, with: Array("xyz".utf8) + [0])
        let e = try error(reading: b)
        #expect(e.code == .notNIfTI)
        #expect(e.message.hasSuffix("cbf.nii: not a NIfTI-1 file (magic 'xyz')"))
    }

    @Test func notANIfTIAtAll() throws {
        let e = try error(reading: Array(String(repeating: "plain text, not an image\n", count: 20).utf8))
        #expect(e.code == .notNIfTI)
        #expect(e.message.contains("not a NIfTI-1 file (sizeof_hdr"))
    }

    @Test func truncatedData() throws {
        let b = try goodFile()
        let e = try error(reading: Array(b.prefix(b.count - 10)))
        #expect(e.code == .truncated)
        #expect(e.message.contains("cbf.nii: truncated: header describes 4x3x3 int16 voxels (72 bytes from offset 352)"))
        #expect(e.message.contains("file has 414 bytes"))
    }

    @Test func truncatedHeader() throws {
        let e = try error(reading: Array(try goodFile().prefix(100)))
        #expect(e.code == .truncated)
        #expect(e.message.contains("100 bytes, a NIfTI-1 header needs 348"))
    }

    @Test func truncatedGzip() throws {
        let packed = try Gzip.compress(try goodFile())
        let e = try error(reading: Array(packed.prefix(packed.count / 2)), name: "cbf.nii.gz")
        #expect(e.code == .truncated)
        #expect(e.message.contains("cbf.nii.gz: truncated gzip stream"))
    }

    @Test func unsupportedDatatypeAndTwoFileForm() throws {
        var rgb = try goodFile()
        RawLE.put16(&rgb, 70, 128)
        let e1 = try error(reading: rgb)
        #expect(e1.code == .unsupported && e1.message.contains("datatype 128 is not supported"))
        var pair = try goodFile()
        pair.replaceSubrange(344..<348, with: Array("ni1".utf8) + [0])
        let e2 = try error(reading: pair)
        #expect(e2.code == .unsupported && e2.message.contains("two-file NIfTI"))
    }

    @Test func missingFile() throws {
        let e = try #require(throws: OutputsError.self) { try NIfTI.read(path: "/nonexistent-ctperf/cbf.nii.gz") }
        #expect(e.code == .io)
        #expect(e.message == "/nonexistent-ctperf/cbf.nii.gz: open failed: No such file or directory")
    }

    @Test func volumeNeedsAPositionAndThreeDimensions() throws {
        try withTempDirectory { dir in
            try writeBytes(RawNIfTI.make(dims: [2, 1, 1], datatype: 2, bitpix: 8, sform: Self.sform, data: [1, 2],
                                         sformCode: 0, qformCode: 0), to: dir + "/nopos.nii")
            let e1 = try #require(throws: OutputsError.self) { try NIfTI.readVolume3D(path: dir + "/nopos.nii") }
            #expect(e1.message.contains("no position in the patient"))
            try writeBytes(RawNIfTI.make(dims: [1, 1, 1, 2], datatype: 2, bitpix: 8, sform: Self.sform, data: [1, 2]),
                           to: dir + "/4d.nii")
            let e2 = try #require(throws: OutputsError.self) { try NIfTI.readVolume3D(path: dir + "/4d.nii") }
            #expect(e2.message.contains("4D image with 2 frames; expected a 3D volume"))
        }
    }
}
