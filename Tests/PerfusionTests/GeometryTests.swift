import Foundation
import Imaging
import Testing
@testable import Perfusion

/// Motion estimation, the mid-sagittal plane and the analysis grid on synthetic heads.
@Suite struct GeometryTests {
    /// A 128 x 128 x 4 grid with 1.8 mm pixels and 5 mm slices, centred on the origin.
    static let grid = Grid(nx: 128, ny: 128, nz: 4, affineLPS: Affine(
        columnI: Vector3(1.8, 0, 0), columnJ: Vector3(0, 1.8, 0), columnK: Vector3(0, 0, 5),
        origin: Vector3(-1.8 * 63.5, -1.8 * 63.5, 0)))

    /// An analytic head in in-plane mm (x, y): scalp, a 6 mm skull, brain with two ventricles
    /// mirrored about x = 0 (the symmetry plane), 4 x 4 supersampled for partial volume.
    static func head(_ x: Double, _ y: Double) -> Float {
        func ellipse(_ a: Double, _ b: Double) -> Double { (x * x) / (a * a) + (y * y) / (b * b) }
        if ellipse(75, 95) > 1 { return -1000 }
        if ellipse(70, 90) > 1 { return 35 }
        if ellipse(64, 84) > 1 { return 1200 }
        for side in [-1.0, 1.0] {
            let u = (x - side * 12) / 6, v = (y + 5) / 25
            if u * u + v * v < 1 { return 5 }
        }
        return abs(x) < 8 && y > 20 ? 42 : 32
    }

    /// Renders the head moved by `motion` (a reference point p is found at R p + t), rotated by
    /// `yawRad` and shifted by `offset` first (its own pose).
    static func render(motion: RigidMotion = .identity, yawRad: Double = 0, offset: (Double, Double) = (0, 0)) -> [Float] {
        let coordinates = PlaneCoordinates(input: grid, factor: 1)
        let inverse = RigidMotion(rotationRad: -motion.rotationRad, dxMM: 0, dyMM: 0)
        var out = [Float](repeating: 0, count: grid.voxelCount)
        for j in 0..<grid.ny {
            for i in 0..<grid.nx {
                var s: Float = 0
                for a in 0..<4 {
                    for b in 0..<4 {
                        let p = coordinates.mm(Double(i) + (Double(a) + 0.5) / 4 - 0.5, Double(j) + (Double(b) + 0.5) / 4 - 0.5)
                        // Undo the motion, then the head's own pose.
                        let q = inverse.apply(p.x - motion.dxMM, p.y - motion.dyMM)
                        let c = cos(-yawRad), sn = sin(-yawRad)
                        let hx = q.x - offset.0, hy = q.y - offset.1
                        s += head(c * hx - sn * hy, sn * hx + c * hy)
                    }
                }
                for k in 0..<grid.nz { out[grid.index(i, j, k)] = s / 16 }
            }
        }
        return out
    }

    @Test func rigidMotionIsRecovered() {
        let truth = RigidMotion(rotationRad: 1.2 * .pi / 180, dxMM: 2.1, dyMM: -1.4)
        let frames = Self.render() + Self.render(motion: truth)
        let coordinates = PlaneCoordinates(input: Self.grid, factor: 1)
        let motions = MotionEstimator.estimate(frames: frames, grid: Self.grid, frameCount: 2, coordinates: coordinates,
                                               coarseCoordinates: PlaneCoordinates(input: Self.grid, factor: 2))
        #expect(motions[0] == .identity)
        let m = motions[1]
        #expect(abs(m.rotationRad - truth.rotationRad) * 180 / .pi < 0.05, "rotation \(m.rotationRad * 180 / .pi) degrees")
        #expect(abs(m.dxMM - truth.dxMM) < 0.05 && abs(m.dyMM - truth.dyMM) < 0.05, "shift \(m.dxMM), \(m.dyMM) mm")
    }

    @Test func midSagittalPlaneBySymmetry() {
        let yaw = 6 * Double.pi / 180
        let image = Self.render(yawRad: yaw, offset: (5, -3))
        let intracranial = BrainMask.intracranial(meanCT: image, grid: Self.grid)
        let coordinates = PlaneCoordinates(input: Self.grid, factor: 1)
        let plane = Symmetry.midSagittalPlane(meanCT: image, intracranial: intracranial, grid: Self.grid, coordinates: coordinates)
        // The head's x axis (the plane's normal) is rotated by the yaw; the plane passes through (5, -3).
        let expected = Vector3(cos(yaw), sin(yaw), 0)
        #expect(acos(min(1, plane.normalLPS.dot(expected))) * 180 / .pi < 0.3)
        #expect(abs(plane.signedDistanceMM(5, -3)) < 0.3)
        // Hemispheres: left is +x in LPS.
        #expect(plane.signedDistanceMM(30, 0) > 0 && plane.signedDistanceMM(-20, 0) < 0)
        let mirrored = plane.reflect(25, 10)
        #expect(abs(plane.signedDistanceMM(mirrored.x, mirrored.y) + plane.signedDistanceMM(25, 10)) < 1e-9)
    }

    @Test func intracranialMaskStopsAtTheSkull() {
        let image = Self.render()
        let inside = BrainMask.intracranial(meanCT: image, grid: Self.grid)
        let coordinates = PlaneCoordinates(input: Self.grid, factor: 1)
        for k in 0..<Self.grid.nz {
            for j in 0..<Self.grid.ny {
                for i in 0..<Self.grid.nx {
                    let p = coordinates.mm(Double(i), Double(j))
                    let r = (p.x * p.x) / (60 * 60) + (p.y * p.y) / (80 * 80), out = (p.x * p.x) / (72 * 72) + (p.y * p.y) / (92 * 92)
                    if r < 1 { #expect(inside[Self.grid.index(i, j, k)]) }
                    if out > 1 { #expect(!inside[Self.grid.index(i, j, k)]) }
                }
            }
        }
    }

    @Test func analysisGridBinsFinePixels() {
        let fine = Grid(nx: 512, ny: 512, nz: 2, affineLPS: Affine(
            columnI: Vector3(0.45, 0, 0), columnJ: Vector3(0, 0.45, 0), columnK: Vector3(0, 0, 5), origin: Vector3(0, 0, 0)))
        let analysis = AnalysisGrid(input: fine)
        #expect(analysis.factor == 2 && analysis.grid.nx == 256)
        #expect(abs(analysis.grid.voxelVolumeML - 4 * fine.voxelVolumeML) < 1e-12)
        // The binned voxel's centre is the centre of its 2 x 2 block.
        let c = analysis.grid.positionLPS(i: 0, j: 0, k: 0)
        #expect(abs(c.x - 0.225) < 1e-12 && abs(c.y - 0.225) < 1e-12)
        #expect(AnalysisGrid.factor(for: Self.grid) == 1)
        // Replication back to the input grid.
        var values = [Float](repeating: 0, count: analysis.grid.voxelCount)
        values[analysis.grid.index(3, 5, 1)] = 7
        let up = analysis.upsample(values)
        #expect(up[6, 10, 1] == 7 && up[7, 11, 1] == 7 && up[8, 10, 1] == 0 && up.values.filter { $0 == 7 }.count == 4)
        #expect(analysis.downsampleMask(up)[analysis.grid.index(3, 5, 1)] && analysis.downsampleMask(up).filter { $0 }.count == 1)
    }
}
