import Foundation
import Imaging
import TestSupport
@testable import Outputs

/// Runs `body` with a fresh temporary directory that is removed afterwards.
func withTempDirectory<T>(_ body: (String) throws -> T) throws -> T {
    try TemporaryDirectory.with("ctperf-outputs-tests", body)
}

func readBytes(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
}

func writeBytes(_ bytes: [UInt8], to path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// Little-endian field access on raw header bytes, written independently of the module's coder.
enum RawLE {
    static func int16(_ b: [UInt8], _ o: Int) -> Int { Int(Int16(bitPattern: UInt16(b[o]) | UInt16(b[o + 1]) << 8)) }
    static func int32(_ b: [UInt8], _ o: Int) -> Int {
        Int(Int32(bitPattern: UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24))
    }
    static func float32(_ b: [UInt8], _ o: Int) -> Float {
        Float(bitPattern: UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24)
    }
    static func put16(_ b: inout [UInt8], _ o: Int, _ v: Int) {
        let u = UInt16(bitPattern: Int16(v)); b[o] = UInt8(u & 0xff); b[o + 1] = UInt8(u >> 8)
    }
    static func put32(_ b: inout [UInt8], _ o: Int, _ v: UInt32) {
        for n in 0..<4 { b[o + n] = UInt8((v >> (8 * UInt32(n))) & 0xff) }
    }
    static func putFloat(_ b: inout [UInt8], _ o: Int, _ v: Float) { put32(&b, o, v.bitPattern) }
}

/// Test grids (LPS). Spacings differ on every axis and nx != ny so swaps and transposes show.
enum TestGrids {
    static let axial = Grid(nx: 4, ny: 3, nz: 3, affineLPS: Affine(
        columnI: Vector3(0.7, 0, 0), columnJ: Vector3(0, 0.8, 0), columnK: Vector3(0, 0, 2.5),
        origin: Vector3(-10.5, -20.25, 30)))

    /// Rotated 20° about z and tilted 10° about the row direction.
    static var oblique: Grid {
        let a = 20.0 * .pi / 180, b = 10.0 * .pi / 180
        let row = Vector3(cos(a), sin(a), 0)
        let col0 = Vector3(-sin(a), cos(a), 0)
        let col = col0 * cos(b) + row.cross(col0) * sin(b)
        let normal = row.cross(col)
        return Grid(nx: 4, ny: 3, nz: 3, affineLPS: Affine(
            columnI: row * 0.7, columnJ: col * 0.8, columnK: normal * 2.5, origin: Vector3(-10.5, -20.25, 30)))
    }

    /// Axial acquisition with 15° gantry tilt: the slice step is along z, not along the normal.
    static var tilted: Grid {
        let t = 15.0 * .pi / 180
        return Grid(nx: 4, ny: 3, nz: 3, affineLPS: Affine(
            columnI: Vector3(0.7, 0, 0), columnJ: Vector3(0, cos(t), -sin(t)) * 0.8,
            columnK: Vector3(0, 0, 2.5), origin: Vector3(-10.5, -20.25, 30)))
    }

    /// Distinct values 100k + 10j + i (fits uint8 only for small grids; int16 always here).
    static func distinctValues(_ grid: Grid, frames: Int = 1) -> [Float] {
        var v: [Float] = []
        for t in 0..<frames {
            for k in 0..<grid.nz { for j in 0..<grid.ny { for i in 0..<grid.nx {
                v.append(Float(1000 * t + 100 * k + 10 * j + i))
            } } }
        }
        return v
    }
}

/// The largest difference between two affines' direction cosines (normalised columns) and
/// between their translations (mm).
func affineDifference(_ a: Affine, _ b: Affine) -> (cosines: Double, translationMM: Double, spacingMM: Double) {
    let ca = [a.columnI, a.columnJ, a.columnK], cb = [b.columnI, b.columnJ, b.columnK]
    let cosines = zip(ca, cb).map { x, y in (x.normalized - y.normalized).array.map(abs).max()! }.max()!
    let spacing = zip(ca, cb).map { x, y in abs(x.length - y.length) }.max()!
    return (cosines, (a.origin - b.origin).length, spacing)
}
