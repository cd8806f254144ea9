import Foundation
import Testing
@testable import Imaging

struct GeometryTests {
    @Test func affineInverseAndComposition() throws {
        let a = Affine(columnI: Vector3(0.5, 0, 0), columnJ: Vector3(0, 0.4, 0.1), columnK: Vector3(0, 0, 5),
                       origin: Vector3(-100, -90, 20))
        let inv = try #require(a.inverse)
        #expect((a * inv).maxAbsDifference(.identity) < 1e-12)
        let p = Vector3(3, 4, 5)
        let q = inv.apply(a.apply(p))
        #expect((q - p).length < 1e-12)
        #expect(Affine(m: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]).inverse == nil)
    }

    @Test func lpsAndRASDifferBySignOfXAndY() {
        let a = Affine(columnI: Vector3(1, 0, 0), columnJ: Vector3(0, 1, 0), columnK: Vector3(0, 0, 2), origin: Vector3(10, 20, 30))
        let ras = PatientFrame.toRAS(affineLPS: a)
        #expect(ras.origin == Vector3(-10, -20, 30))
        #expect(ras.columnI == Vector3(-1, 0, 0))
        #expect(PatientFrame.toLPS(affineRAS: ras) == a)
        #expect(PatientFrame.toRAS(pointLPS: Vector3(1, 2, 3)) == Vector3(-1, -2, 3))
    }

    @Test func tiltedGridHasTrueVoxelVolumeAndTilt() {
        // 15 degree gantry tilt: image plane rotated about x, table steps of 5 mm along z.
        let t = 15.0 * Double.pi / 180
        let col = Vector3(0, cos(t), sin(t))
        let g = Grid(nx: 4, ny: 4, nz: 3, affineLPS: Affine(columnI: Vector3(0.5, 0, 0), columnJ: col * 0.5,
                                                              columnK: Vector3(0, 0, 5), origin: .zero))
        #expect(abs(g.tiltDegrees - 15) < 1e-9)
        #expect(abs(g.sliceSpacingAlongNormalMM - 5 * cos(t)) < 1e-12)
        #expect(abs(g.voxelVolumeML - 0.5 * 0.5 * 5 * cos(t) / 1000) < 1e-15)
        #expect(g.index(1, 2, 1) == 1 + 4 * (2 + 4 * 1))
    }

    @Test func volume4DIndexesXFastestThenTime() {
        let g = Grid(nx: 2, ny: 3, nz: 2, affineLPS: .identity)
        var v = Volume4D(grid: g, frameTimes: [0, 1.5, 3])
        v[1, 2, 1, 2] = 7
        #expect(v.values[1 + 2 * (2 + 3 * (1 + 2 * 2))] == 7)
        #expect(v.curve(i: 1, j: 2, k: 1) == [0, 0, 7])
        #expect(v.sliceOffset(k: 1, t: 2) == 6 * (1 + 2 * 2))
    }
}

struct ResampleTests {
    @Test func nearestByWorldCoordinates() throws {
        // Source: 4x4x2 at 2 mm; target: 8x8x2 at 1 mm over the same field, shifted by 0.4 mm.
        let src = Grid(nx: 4, ny: 4, nz: 2, affineLPS: Affine(columnI: Vector3(2, 0, 0), columnJ: Vector3(0, 2, 0),
                                                           columnK: Vector3(0, 0, 5), origin: Vector3(0, 0, 0)))
        var v = Volume3D(grid: src)
        v[2, 1, 1] = 1
        let dst = Grid(nx: 8, ny: 8, nz: 2, affineLPS: Affine(columnI: Vector3(1, 0, 0), columnJ: Vector3(0, 1, 0),
                                                           columnK: Vector3(0, 0, 5), origin: Vector3(-0.4, 0, 0)))
        let r = try #require(Resample.nearest(v, onto: dst))
        // Target x = i - 0.4 maps to source i = round(x / 2), always inside; target y = j maps to
        // source j = round(j / 2), outside only for j = 7 (3.5 rounds to 4): 2 slices x 8 voxels.
        #expect(r.voxelsInside == 8 * 8 * 2 - 2 * 8)
        // Source voxel (2, 1, 1) covers x in [3, 5) and y in [1, 3): target i = 4, 5 and j = 1, 2 of slice 1.
        for (i, j) in [(4, 1), (5, 1), (4, 2), (5, 2)] { #expect(r.volume[i, j, 1] == 1) }
        #expect(r.volume.values.reduce(0, +) == 4)
    }

    @Test func disjointGridsHaveNothingInside() throws {
        let a = Grid(nx: 2, ny: 2, nz: 1, affineLPS: .identity)
        let b = Grid(nx: 2, ny: 2, nz: 1, affineLPS: Affine(columnI: Vector3(1, 0, 0), columnJ: Vector3(0, 1, 0),
                                                          columnK: Vector3(0, 0, 1), origin: Vector3(100, 0, 0)))
        #expect(try #require(Resample.nearest(Volume3D(grid: a, fill: 1), onto: b)).voxelsInside == 0)
    }
}
