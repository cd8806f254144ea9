import Foundation
import Imaging
import Testing
@testable import Outputs

@Suite struct NIfTIGeometryTests {
    @Test func axialSformIsDcm2niixs() {
        // Measured with dcm2niix 1.0.20220720 on the DICOM series of TestGrids.axial.
        let expected = Affine(rows: [[-0.7, 0, 0, 10.5], [0, 0.8, 0, 18.65], [0, 0, 2.5, 30], [0, 0, 0, 1]])
        #expect(NIfTIGeometry.affineRAS(of: TestGrids.axial).maxAbsDifference(expected) < 1e-12)
    }

    @Test func everyVoxelKeepsItsWorldPosition() {
        // The file voxel that holds a grid voxel's value sits at the same place in the patient.
        for grid in [TestGrids.axial, TestGrids.oblique, TestGrids.tilted] {
            let sform = NIfTIGeometry.affineRAS(of: grid)
            let order = NIfTIGeometry.writeOrder
            let map = order.indexMap(ny: grid.ny, nz: grid.nz)
            for k in 0..<grid.nz { for jFile in 0..<grid.ny { for i in 0..<grid.nx {
                let g = map.apply(Vector3(Double(i), Double(jFile), Double(k)))
                let fromGrid = PatientFrame.toRAS(pointLPS: grid.positionLPS(i: g.x, j: g.y, k: g.z))
                let fromFile = sform.apply(Vector3(Double(i), Double(jFile), Double(k)))
                #expect((fromGrid - fromFile).length < 1e-9)
            } } }
        }
    }

    @Test func readerGridIsTheWritersInverse() {
        for grid in [TestGrids.axial, TestGrids.oblique, TestGrids.tilted] {
            let (back, order) = NIfTIGeometry.grid(nx: grid.nx, ny: grid.ny, nz: grid.nz,
                                                   affineRAS: NIfTIGeometry.affineRAS(of: grid))
            #expect(order == NIfTIGeometry.writeOrder)
            #expect(back.affineLPS.maxAbsDifference(grid.affineLPS) < 1e-12)
        }
    }

    @Test func shearIsDetected() {
        #expect(!NIfTIGeometry.isSheared(NIfTIGeometry.affineRAS(of: TestGrids.axial)))
        #expect(!NIfTIGeometry.isSheared(NIfTIGeometry.affineRAS(of: TestGrids.oblique)))
        #expect(NIfTIGeometry.isSheared(NIfTIGeometry.affineRAS(of: TestGrids.tilted)))
    }

    @Test func tiltedGridHasNoQformButAnExactSform() throws {
        let grid = TestGrids.tilted
        try withTempDirectory { dir in
            try NIfTI.write(Volume3D(grid: grid, values: TestGrids.distinctValues(grid)), to: dir + "/t.nii",
                            dataType: .int16)
            let image = try NIfTI.read(path: dir + "/t.nii")
            #expect(image.qformCode == 0 && image.sformCode == 1)
            #expect(image.sformRAS.maxAbsDifference(NIfTIGeometry.affineRAS(of: grid)) < 1e-5)
            // pixdim[3] is the slice spacing along the normal: 2.5 mm * cos 15°.
            #expect(abs(image.pixdim[3] - 2.5 * cos(15.0 * .pi / 180)) < 1e-5)
            #expect(image.pixdim[0] == -1)
            // The volume computed from pixdim is the true voxel volume.
            #expect(abs(image.pixdim[1] * image.pixdim[2] * image.pixdim[3] - grid.voxelVolumeML * 1000) < 1e-5)
        }
    }

    @Test func qformEqualsSformForOrthogonalGrids() throws {
        for grid in [TestGrids.axial, TestGrids.oblique] {
            try withTempDirectory { dir in
                try NIfTI.write(Volume3D(grid: grid), to: dir + "/q.nii", dataType: .uint8)
                let image = try NIfTI.read(path: dir + "/q.nii")
                #expect(image.qformCode == 1 && image.sformCode == 1)
                #expect(image.qformRAS.maxAbsDifference(image.sformRAS) < 1e-5)
            }
        }
    }

    @Test func fileWithSlicesAgainstTheNormalIsReorderedIntoOurConvention() throws {
        // A right-handed RAS file (as many tools write): identity-like sform, 2 x 3 x 4 voxels.
        let sform = Affine(rows: [[2, 0, 0, -5], [0, 3, 0, -7], [0, 0, 4, 11], [0, 0, 0, 1]])
        let (nx, ny, nz) = (2, 3, 4)
        let fileValues = (0..<(nx * ny * nz)).map(Float.init)
        let bytes = RawNIfTI.make(dims: [nx, ny, nz], datatype: 16, bitpix: 32, sform: sform,
                                  data: fileValues.flatMap { le32($0.bitPattern) })
        #expect(NIfTIGeometry.grid(nx: nx, ny: ny, nz: nz, affineRAS: sform).order
                == NIfTIVoxelOrder(flipJ: true, flipK: true))
        try withTempDirectory { dir in
            try writeBytes(bytes, to: dir + "/ras.nii")
            let volume = try NIfTI.readVolume3D(path: dir + "/ras.nii")
            let g = volume.grid
            // Our convention: k ascending along row x column.
            #expect(g.affineLPS.columnK.dot(g.affineLPS.columnI.cross(g.affineLPS.columnJ)) > 0)
            // Every value is still at the place the file put it.
            for k in 0..<nz { for j in 0..<ny { for i in 0..<nx {
                let v = Int(volume[i, j, k])
                let fi = v % nx, fj = (v / nx) % ny, fk = v / (nx * ny)
                let filePoint = sform.apply(Vector3(Double(fi), Double(fj), Double(fk)))
                let gridPoint = PatientFrame.toRAS(pointLPS: g.positionLPS(i: Double(i), j: Double(j), k: Double(k)))
                #expect((filePoint - gridPoint).length < 1e-9)
            } } }
        }
    }
}
