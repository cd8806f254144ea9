import Foundation
import Imaging
import Testing
@testable import Outputs

/// The bytes of the header as nifti1.h lays them out, read back without the module's decoder.
@Suite struct NIfTIHeaderBytesTests {
    @Test func fieldsOf4DInt16File() throws {
        let grid = TestGrids.axial
        let volume = Volume4D(grid: grid, frameTimes: [0, 1.5, 3.0, 4.5], values: TestGrids.distinctValues(grid, frames: 4))
        try withTempDirectory { dir in
            let path = dir + "/ctp.nii"
            try NIfTI.write(volume, to: path, dataType: .int16, description: "ctperf test")
            let b = try readBytes(path)
            #expect(b.count == 352 + grid.voxelCount * 4 * 2)
            #expect(RawLE.int32(b, 0) == 348)                                  // sizeof_hdr
            #expect(b[38] == UInt8(ascii: "r"))                                // regular
            #expect((0..<8).map { RawLE.int16(b, 40 + 2 * $0) } == [4, 4, 3, 3, 4, 1, 1, 1])
            #expect(RawLE.int16(b, 70) == 4)                                   // DT_INT16
            #expect(RawLE.int16(b, 72) == 16)                                  // bitpix
            let pixdim = (0..<8).map { RawLE.float32(b, 76 + 4 * $0) }
            #expect(pixdim == [-1, 0.7, 0.8, 2.5, 1.5, 0, 0, 0])
            #expect(RawLE.float32(b, 108) == 352)                              // vox_offset
            #expect(RawLE.float32(b, 112) == 1 && RawLE.float32(b, 116) == 0)  // scl_slope, scl_inter
            #expect(b[123] == 10)                                              // NIFTI_UNITS_MM | NIFTI_UNITS_SEC
            #expect(String(decoding: b[148..<159], as: UTF8.self) == "ctperf test" && b[159] == 0)
            #expect(RawLE.int16(b, 252) == 1 && RawLE.int16(b, 254) == 1)      // qform_code, sform_code
            #expect(Array(b[344..<348]) == Array("n+1".utf8) + [0])            // magic
            #expect(Array(b[348..<352]) == [0, 0, 0, 0])                       // no extensions
            // srow_x/y/z: the dcm2niix sform of this grid (hand computed: rows flipped, LPS -> RAS).
            let srow = (0..<12).map { RawLE.float32(b, 280 + 4 * $0) }
            let expected: [Float] = [-0.7, 0, 0, 10.5, 0, 0.8, 0, 18.65, 0, 0, 2.5, 30]
            #expect(zip(srow, expected).allSatisfy { abs($0 - $1) < 1e-5 })
            // quatern_b/c/d = (0, 1, 0): 180° about y, qfac -1 (measured from dcm2niix too).
            #expect(abs(RawLE.float32(b, 256)) < 1e-7 && abs(RawLE.float32(b, 260) - 1) < 1e-7
                    && abs(RawLE.float32(b, 264)) < 1e-7)
            // First voxel in the file: column 0 of the LAST row (j = 2) of slice 0 at t = 0.
            #expect(RawLE.int16(b, 352) == 20)
            #expect(RawLE.int16(b, 352 + 2) == 21)
            #expect(RawLE.int16(b, 352 + 2 * 4) == 10)   // next NIfTI row = DICOM row 1
        }
    }

    @Test func threeDimensionalHeaderAndGzipFileHoldTheSameBytes() throws {
        let grid = TestGrids.axial
        let volume = Volume3D(grid: grid, values: TestGrids.distinctValues(grid))
        try withTempDirectory { dir in
            try NIfTI.write(volume, to: dir + "/m.nii", dataType: .uint8, description: "")
            try NIfTI.write(volume, to: dir + "/m.nii.gz", dataType: .uint8, description: "")
            let plain = try readBytes(dir + "/m.nii")
            let packed = try readBytes(dir + "/m.nii.gz")
            #expect(packed[0] == 0x1f && packed[1] == 0x8b)
            #expect(try Gzip.decompress(packed) == plain)
            #expect((0..<8).map { RawLE.int16(plain, 40 + 2 * $0) } == [3, 4, 3, 3, 1, 1, 1, 1])
            #expect(RawLE.int16(plain, 70) == 2 && RawLE.int16(plain, 72) == 8)
            #expect(RawLE.float32(plain, 76 + 16) == 0)   // pixdim[4] of a 3D image
            #expect(plain.count == 352 + grid.voxelCount)
        }
    }

    @Test func descriptionIsCutAt79BytesOnACharacterBoundary() throws {
        let long = String(repeating: "é", count: 60)   // 120 bytes of UTF-8
        let bytes = NIfTIHeader.truncatedUTF8(long, maxBytes: 79)
        #expect(bytes.count == 78)
        #expect(String(decoding: bytes, as: UTF8.self) == String(repeating: "é", count: 39))
    }

    @Test func medianFrameIntervalIgnoresOneLongGap() {
        #expect(NIfTI.medianInterval([0, 1, 2, 3, 10]) == 1)
        #expect(NIfTI.medianInterval([0, 1, 3, 6]) == 2)
        #expect(NIfTI.medianInterval([0, 2, 3, 5, 6]) == 1.5)
        #expect(NIfTI.medianInterval([7]) == 0)
    }
}
