import Foundation
import Imaging
@testable import Phantom

/// Small models shared by the tests (debug build: matrix 64, 20 x 5 mm slices, 30 frames).
enum Fixtures {
    static func spec(_ scenario: PerfusionScenario, matrix: Int = 64, slices: Int = 20,
                     noiseHU: Double = 8, seed: UInt64 = 1) -> PhantomSpec {
        var s = PhantomSpec()
        s.scenario = scenario
        s.matrix = matrix
        s.slices = slices
        s.noiseHU = noiseHU
        s.seed = seed
        return s
    }

    static func model(_ scenario: PerfusionScenario, matrix: Int = 64, noiseHU: Double = 8) -> PhantomModel {
        do { return try PhantomModel(spec: spec(scenario, matrix: matrix, noiseHU: noiseHU)) } catch {
            fatalError("fixture \(scenario.rawValue) failed: \(error)")
        }
    }

    static let strokeLeft = model(.strokeLeft)
    static let strokeRight = model(.strokeRight)
    static let healthy = model(.healthy)
    static let noiseless = model(.strokeLeft, noiseHU: 0)
    /// Matrix 128 (1.8 mm pixels): fine enough for voxels entirely inside a vessel.
    static let noiseless128 = model(.strokeLeft, matrix: 128, noiseHU: 0)

    /// Voxel classes of frame 0, decoded.
    static func classes(_ m: PhantomModel) -> [VoxelClass] {
        var cache: [UInt16: VoxelClass] = [:]
        return m.frameZeroClasses.map { c in
            if let v = cache[c] { return v }
            let v = VoxelClass(index: c)
            cache[c] = v
            return v
        }
    }

    /// Signed distance (mm) of a voxel centre to the truth mid-sagittal plane (+ = patient left).
    static func signedDistanceMM(_ m: PhantomModel, _ v: Int) -> Double {
        let g = m.grid
        let i = v % g.nx, j = (v / g.nx) % g.ny, k = v / (g.nx * g.ny)
        let p = g.positionLPS(i: Double(i), j: Double(j), k: Double(k))
        let plane = m.truth.metrics.midSagittalPlane
        return (p - Vector3(plane.pointLPS)).dot(Vector3(plane.normalLPS))
    }

    /// Trapezoidal integral of samples at a uniform step.
    static func trapezoid(_ values: [Double], stepS: Double) -> Double {
        stepS * (values.reduce(0, +) - 0.5 * ((values.first ?? 0) + (values.last ?? 0)))
    }

    /// Compares two large arrays; returns a short description of the first difference (nil when
    /// equal) so a failing expectation does not print millions of values.
    static func difference<T: Equatable>(_ a: [T], _ b: [T]) -> String? {
        guard a.count == b.count else { return "counts \(a.count) vs \(b.count)" }
        guard let i = a.indices.first(where: { a[$0] != b[$0] }) else { return nil }
        return "first difference at \(i): \(a[i]) vs \(b[i])"
    }
}
