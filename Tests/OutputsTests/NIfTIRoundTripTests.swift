import Foundation
import Imaging
import Testing
@testable import Outputs

@Suite struct NIfTIRoundTripTests {
    static let cases: [(NIfTIDataType, String)] = [
        (.uint8, "nii"), (.uint8, "nii.gz"), (.int16, "nii"), (.int16, "nii.gz"), (.float32, "nii"), (.float32, "nii.gz"),
    ]

    /// Values each type stores exactly.
    static func values(for type: NIfTIDataType, count: Int) -> [Float] {
        (0..<count).map { n in
            switch type {
            case .uint8: return Float(n % 256)
            case .int16: return Float(n * 37 % 4000) - 1024
            case .float32: return Float(n) * 0.37 - 3.25
            }
        }
    }

    @Test(arguments: cases)
    func volume3DRoundTripIsExact(type: NIfTIDataType, ext: String) throws {
        for grid in [TestGrids.axial, TestGrids.oblique, TestGrids.tilted] {
            let volume = Volume3D(grid: grid, values: Self.values(for: type, count: grid.voxelCount))
            try withTempDirectory { dir in
                let path = "\(dir)/map.\(ext)"
                try NIfTI.write(volume, to: path, dataType: type, description: "round trip")
                let back = try NIfTI.readVolume3D(path: path)
                #expect(back.values == volume.values)
                #expect((back.grid.nx, back.grid.ny, back.grid.nz) == (grid.nx, grid.ny, grid.nz))
                #expect(back.grid.affineLPS.maxAbsDifference(grid.affineLPS) < 1e-4)
                let image = try NIfTI.read(path: path)
                #expect(image.datatypeCode == type.code)
                #expect(image.description == "round trip")
            }
        }
    }

    @Test(arguments: cases)
    func volume4DRoundTripKeepsFramesAndTimeStep(type: NIfTIDataType, ext: String) throws {
        let grid = TestGrids.oblique
        let times: [Double] = [0, 2, 4, 6, 9]
        let volume = Volume4D(grid: grid, frameTimes: times, values: Self.values(for: type, count: grid.voxelCount * 5))
        try withTempDirectory { dir in
            let path = "\(dir)/ctp.\(ext)"
            try NIfTI.write(volume, to: path, dataType: type, description: "")
            let image = try NIfTI.read(path: path)
            #expect(image.dims == [4, 3, 3, 5])
            #expect(image.pixdim[4] == 2)
            #expect(image.xyztUnits == 10)
            // File voxel (i, j', k, t) holds grid voxel (i, ny-1-j', k, t).
            for t in 0..<5 { for k in 0..<3 { for jFile in 0..<3 { for i in 0..<4 {
                let fileIndex = i + 4 * (jFile + 3 * (k + 3 * t))
                #expect(image.values[fileIndex] == volume[i, 2 - jFile, k, t])
            } } } }
            // And the sform of the 4D file is the 3D one's.
            #expect(image.sformRAS.maxAbsDifference(NIfTIGeometry.affineRAS(of: grid)) < 1e-4)
        }
    }

    @Test func integerTypesRoundToNearest() throws {
        let grid = TestGrids.axial
        var values = [Float](repeating: 7, count: grid.voxelCount)
        values[0] = 2.5; values[1] = -2.5; values[2] = 3.4
        try withTempDirectory { dir in
            try NIfTI.write(Volume3D(grid: grid, values: values), to: dir + "/r.nii", dataType: .int16)
            let back = try NIfTI.readVolume3D(path: dir + "/r.nii")
            #expect(Array(back.values.prefix(3)) == [3, -3, 3])
        }
    }

    @Test func valueOutOfRangeThrowsAndLeavesNoFile() throws {
        let grid = TestGrids.axial
        var values = [Float](repeating: 1, count: grid.voxelCount)
        values[grid.index(1, 2, 2)] = 300
        try withTempDirectory { dir in
            let error = try #require(throws: OutputsError.self) {
                try NIfTI.write(Volume3D(grid: grid, values: values), to: dir + "/mask.nii.gz", dataType: .uint8)
            }
            #expect(error.code == .invalidArgument)
            #expect(error.message.hasPrefix("\(dir)/mask.nii.gz: value 300.0 at grid voxel (i 1, j 2, k 2)"))
            #expect(error.message.contains("does not fit uint8"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
        }
    }

    @Test func failedOverwriteKeepsTheOldFile() throws {
        let grid = TestGrids.axial
        try withTempDirectory { dir in
            let path = dir + "/cbf.nii"
            try NIfTI.write(Volume3D(grid: grid, fill: 5), to: path, dataType: .int16)
            let before = try readBytes(path)
            var bad = [Float](repeating: 1, count: grid.voxelCount)
            bad[grid.voxelCount - 1] = .nan
            #expect(throws: OutputsError.self) {
                try NIfTI.write(Volume3D(grid: grid, values: bad), to: path, dataType: .int16)
            }
            #expect(try readBytes(path) == before)
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["cbf.nii"])
        }
    }

    @Test func float32KeepsNaNAndInfinity() throws {
        let grid = TestGrids.axial
        var values = TestGrids.distinctValues(grid)
        values[3] = .nan; values[4] = .infinity
        try withTempDirectory { dir in
            try NIfTI.write(Volume3D(grid: grid, values: values), to: dir + "/t.nii.gz", dataType: .float32)
            let back = try NIfTI.readVolume3D(path: dir + "/t.nii.gz")
            #expect(back.values[3].isNaN && back.values[4] == .infinity)
            #expect(back.values[5] == values[5])
        }
    }

    @Test func fileNameMustEndInNiiOrNiiGz() throws {
        try withTempDirectory { dir in
            let error = try #require(throws: OutputsError.self) {
                try NIfTI.write(Volume3D(grid: TestGrids.axial), to: dir + "/cbf.gz", dataType: .uint8)
            }
            #expect(error.code == .invalidArgument)
            #expect(error.message == "\(dir)/cbf.gz: a NIfTI file name must end in .nii or .nii.gz")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
        }
    }

    @Test func singularGridIsRejected() throws {
        var grid = TestGrids.axial
        grid.affineLPS = Affine(columnI: Vector3(0.7, 0, 0), columnJ: Vector3(0, 0.8, 0), columnK: .zero, origin: .zero)
        try withTempDirectory { dir in
            let error = try #require(throws: OutputsError.self) {
                try NIfTI.write(Volume3D(grid: grid), to: dir + "/s.nii", dataType: .uint8)
            }
            #expect(error.code == .invalidArgument && error.message.contains("singular"))
        }
    }

    @Test func unwritableDirectoryGivesAnIOErrorNamingTheCall() throws {
        let error = try #require(throws: OutputsError.self) {
            try NIfTI.write(Volume3D(grid: TestGrids.axial), to: "/nonexistent-ctperf-dir/x.nii", dataType: .uint8)
        }
        #expect(error.code == .io)
        #expect(error.message.contains("open failed"))
    }
}
