import Foundation
import Imaging
import Testing
@testable import Phantom

@Suite struct GeometryTests {
    @Test func gridFollowsTheSpecifiedLayout() {
        let g = Fixtures.strokeLeft.grid
        let s = 230.0 / 64
        #expect(g.nx == 64 && g.ny == 64 && g.nz == 20)
        #expect(g.affineLPS.columnI == Vector3(s, 0, 0))
        #expect(g.affineLPS.columnJ == Vector3(0, s, 0))
        #expect(g.affineLPS.columnK == Vector3(0, 0, 5))
        #expect(abs(g.voxelVolumeML - s * s * 5 / 1000) < 1e-12)
        // The field of view is centred on the scanner axis; the slab on the head-frame origin.
        let centre = g.positionLPS(i: 31.5, j: 31.5, k: 9.5)
        #expect((centre - PhantomGeometry.fieldOfViewCentreLPS).length < 1e-9)
    }

    @Test(arguments: [12.0, -20.0])
    func tiltChangesOnlyTheColumnDirection(tiltDegrees: Double) throws {
        var spec = Fixtures.spec(.healthy, slices: 4)
        spec.gantryTiltDegrees = tiltDegrees
        let g = try PhantomModel(spec: spec).grid
        let s = 230.0 / 64, theta = tiltDegrees * .pi / 180
        #expect((g.affineLPS.columnJ - Vector3(0, cos(theta), sin(theta)) * s).length < 1e-12)
        #expect(g.affineLPS.columnI == Vector3(s, 0, 0))
        #expect(g.affineLPS.columnK == Vector3(0, 0, 5))
        #expect(abs(g.tiltDegrees - abs(tiltDegrees)) < 1e-9)
        // Slice k's first voxel is origin + k * (0, 0, thickness).
        #expect((g.positionLPS(i: 0, j: 0, k: 3) - g.positionLPS(i: 0, j: 0, k: 0) - Vector3(0, 0, 15)).length < 1e-12)
    }

    @Test func tiltedGridRendersTheSameHead() throws {
        var spec = Fixtures.spec(.healthy, noiseHU: 0)
        spec.gantryTiltDegrees = 15
        let tilted = try PhantomModel(spec: spec)
        let brain = tilted.truth.brainMask.values.reduce(0, +)
        let straight = Fixtures.healthy.truth.brainMask.values.reduce(0, +)
        // Same head, sheared slab: brain volume within 5 % (the slab covers a slightly different part).
        let ratio = Double(brain) * tilted.grid.voxelVolumeML / (Double(straight) * Fixtures.healthy.grid.voxelVolumeML)
        #expect(abs(ratio - 1) < 0.05)
        #expect(Fixtures.difference(tilted.renderFrame(0), Fixtures.noiseless.renderFrame(0)) != nil)
    }

    @Test func headIsOffCentreAndTurnedSoThePlaneMustBeFound() {
        let plane = Fixtures.strokeLeft.truth.metrics.midSagittalPlane
        let normal = Vector3(plane.normalLPS), point = Vector3(plane.pointLPS)
        #expect(abs(normal.length - 1) < 1e-12)
        let yawDegrees = atan2(normal.y, normal.x) * 180 / .pi
        #expect(yawDegrees >= 3 && yawDegrees <= 5)
        // The array's centre column is not on the plane.
        let g = Fixtures.strokeLeft.grid
        #expect(abs((g.positionLPS(i: 31.5, j: 31.5, k: 9.5) - point).dot(normal)) > 2)
    }

    /// The truth plane is the head's symmetry plane: brain voxels mirror onto brain voxels far
    /// more often than about the array's centre column.
    @Test func truthPlaneIsTheSymmetryPlaneOfTheLabels() throws {
        let m = Fixtures.healthy
        let g = m.grid, labels = m.truth.labels
        let toIndex = try #require(g.affineLPS.inverse)
        let truthPlane = m.truth.metrics.midSagittalPlane
        func agreement(point: Vector3, normal: Vector3) -> Double {
            var same = 0, total = 0
            for k in 0..<g.nz { for j in 0..<g.ny { for i in 0..<g.nx {
                let v = g.index(i, j, k)
                guard labels[v] == TissueLabel.whiteMatter.rawValue || labels[v] == TissueLabel.skull.rawValue else { continue }
                let p = g.positionLPS(i: Double(i), j: Double(j), k: Double(k))
                let q = toIndex.apply(p - normal * (2 * (p - point).dot(normal)))
                let (mi, mj, mk) = (Int(q.x.rounded()), Int(q.y.rounded()), Int(q.z.rounded()))
                guard (0..<g.nx).contains(mi), (0..<g.ny).contains(mj), (0..<g.nz).contains(mk) else { continue }
                total += 1
                if labels[g.index(mi, mj, mk)] == labels[v] { same += 1 }
            } } }
            return Double(same) / Double(max(total, 1))
        }
        let truth = agreement(point: Vector3(truthPlane.pointLPS), normal: Vector3(truthPlane.normalLPS))
        let arrayCentre = agreement(point: g.positionLPS(i: 31.5, j: 31.5, k: 0), normal: Vector3(1, 0, 0))
        #expect(truth > 0.85)
        #expect(truth > arrayCentre + 0.05, "truth plane \(truth), array centre \(arrayCentre)")
    }

    @Test func frameTimesUniformAndVariable() throws {
        #expect(Fixtures.strokeLeft.frameTimes == (0..<30).map { Double($0) * 2 })
        let variable = try PhantomModel(spec: Fixtures.spec(.variableSampling, slices: 2))
        let dt = zip(variable.frameTimes.dropFirst(), variable.frameTimes).map { $0 - $1 }
        #expect(variable.frameTimes[0] == 0)
        #expect(dt.prefix(14).allSatisfy { abs($0 - 1.5) < 1e-12 })
        #expect(dt.suffix(15).allSatisfy { abs($0 - 3.0) < 1e-12 })
        #expect(variable.truth.aifDeltaHU.count == 30)
    }
}
