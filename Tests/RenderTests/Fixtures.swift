import Foundation
import Imaging
@testable import Render

/// A synthetic head on an axial grid for the rendering tests: air, a skull ring, brain with
/// ventricles, a core blob in the patient's right hemisphere (image left) and a penumbra rim
/// around it, plus CBF and Tmax maps that follow the lesion.
struct SyntheticHead {
    let grid: Grid
    var ct: Volume3D          // HU
    var brain: Volume3D       // 0/1
    var core: Volume3D        // 0/1
    var penumbra: Volume3D    // 0/1
    var cbf: Volume3D         // mL/100g/min
    var tmax: Volume3D        // s

    /// Axial grid: i along +L, j along +P, k along +S; spacing in mm.
    static func axialGrid(nx: Int, ny: Int, nz: Int, spacing: (Double, Double, Double)) -> Grid {
        Grid(nx: nx, ny: ny, nz: nz,
             affineLPS: Affine(columnI: Vector3(spacing.0, 0, 0), columnJ: Vector3(0, spacing.1, 0),
                               columnK: Vector3(0, 0, spacing.2), origin: Vector3(-100, -120, -40)))
    }

    /// Class of voxel (i, j, k): 0 air, 1 skull, 2 brain, 3 ventricle, 4 penumbra, 5 core.
    static func tissue(_ g: Grid, _ i: Int, _ j: Int, _ k: Int) -> Int {
        let s = g.spacingMM
        // Millimetres from the centre of the slice.
        let x = (Double(i) + 0.5 - Double(g.nx) / 2) * s.x
        let y = (Double(j) + 0.5 - Double(g.ny) / 2) * s.y
        let ax = Double(g.nx) * s.x * 0.40, ay = Double(g.ny) * s.y * 0.44
        let r = (x * x) / (ax * ax) + (y * y) / (ay * ay)
        if r > 1 { return 0 }
        if r > 0.80 { return 1 }
        let vx = x / (ax * 0.18), vy = (y + ay * 0.05) / (ay * 0.30)
        if vx * vx + vy * vy < 1 { return 3 }
        // Lesion: patient right = image left (x < 0), middle slices only.
        guard g.nz == 1 || (k >= g.nz / 4 && k <= 3 * g.nz / 4) else { return 2 }
        let lx = (x + ax * 0.45) / (ax * 0.28), ly = (y + ay * 0.1) / (ay * 0.30)
        let d = lx * lx + ly * ly
        if d < 0.45 { return 5 }
        if d < 1 { return 4 }
        return 2
    }

    init(nx: Int = 128, ny: Int = 128, nz: Int = 12, spacing: (Double, Double, Double) = (1.6, 1.6, 5)) {
        grid = SyntheticHead.axialGrid(nx: nx, ny: ny, nz: nz, spacing: spacing)
        ct = Volume3D(grid: grid); brain = Volume3D(grid: grid); core = Volume3D(grid: grid)
        penumbra = Volume3D(grid: grid); cbf = Volume3D(grid: grid, fill: .nan); tmax = Volume3D(grid: grid, fill: .nan)
        for k in 0..<nz {
            for j in 0..<ny {
                for i in 0..<nx {
                    let t = SyntheticHead.tissue(grid, i, j, k)
                    let hu: Float = [-1000, 1200, 36, 6, 30, 24][t]
                    // A gentle texture so the grey CT is not flat.
                    ct[i, j, k] = t >= 2 ? hu + Float((i * 7 + j * 13 + k * 3) % 9) - 4 : hu
                    if t >= 2 && t != 3 { brain[i, j, k] = 1 }
                    if t == 5 { core[i, j, k] = 1 }
                    if t == 4 { penumbra[i, j, k] = 1 }
                    if t >= 2 {
                        cbf[i, j, k] = [0, 0, 52, 5, 26, 9][t] + Float((i + j) % 7)
                        tmax[i, j, k] = [0, 0, 1.5, 3, 8, 13][t] + Float((i + 2 * j) % 5) * 0.2
                    }
                }
            }
        }
    }
}

/// Where test pictures go: `$CTPERF_RENDER_SAMPLES` (kept, for viewing) or a temporary
/// directory removed by the caller.
enum Samples {
    static var keepDirectory: String? { ProcessInfo.processInfo.environment["CTPERF_RENDER_SAMPLES"] }

    static func save(_ image: RGBImage, _ name: String) throws {
        guard let dir = keepDirectory else { return }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try image.writePNG(to: "\(dir)/\(name).png")
    }
}

/// Pixel predicates used by the tests.
enum Pixels {
    static func isGrey(_ p: (r: UInt8, g: UInt8, b: UInt8), tolerance: Int = 2) -> Bool {
        abs(Int(p.r) - Int(p.g)) <= tolerance && abs(Int(p.g) - Int(p.b)) <= tolerance
    }

    /// Magenta-tinted: red and blue well above green.
    static func isMagentaish(_ p: (r: UInt8, g: UInt8, b: UInt8)) -> Bool {
        Int(p.r) > Int(p.g) + 80 && Int(p.b) > Int(p.g) + 80 && abs(Int(p.r) - Int(p.b)) < 30
    }

    /// Green-tinted: green well above red and blue.
    static func isGreenish(_ p: (r: UInt8, g: UInt8, b: UInt8)) -> Bool {
        Int(p.g) > Int(p.r) + 80 && Int(p.g) > Int(p.b) + 80
    }

    static func equals(_ p: (r: UInt8, g: UInt8, b: UInt8), _ c: RGBColour, tolerance: Int = 1) -> Bool {
        let e = c.bytes
        return abs(Int(p.r) - Int(e.r)) <= tolerance && abs(Int(p.g) - Int(e.g)) <= tolerance
            && abs(Int(p.b) - Int(e.b)) <= tolerance
    }

    static func luminance(_ p: (r: UInt8, g: UInt8, b: UInt8)) -> Int { (Int(p.r) + Int(p.g) + Int(p.b)) / 3 }
}

/// Mapping between voxels and display pixels of an image drawn magnified in `rect`
/// (independent of the renderer's resampler: plain arithmetic on the rectangle).
struct DisplayMap {
    var rect: PixelRect
    var nx: Int
    var ny: Int

    /// The display pixel at the centre of voxel (i, j).
    func pixel(_ i: Int, _ j: Int) -> (x: Int, y: Int) {
        (rect.x + Int((Double(i) + 0.5) * Double(rect.width) / Double(nx)),
         rect.y + Int((Double(j) + 0.5) * Double(rect.height) / Double(ny)))
    }

    /// The voxel under display pixel (x, y) when the whole pixel lies inside one voxel; nil for
    /// pixels outside the image or straddling a voxel edge.
    func voxel(_ x: Int, _ y: Int) -> (i: Int, j: Int)? {
        guard rect.contains(x, y) else { return nil }
        let sx = Double(nx) / Double(rect.width), sy = Double(ny) / Double(rect.height)
        let u0 = Double(x - rect.x) * sx, u1 = Double(x - rect.x + 1) * sx
        let v0 = Double(y - rect.y) * sy, v1 = Double(y - rect.y + 1) * sy
        guard floor(u0) == floor(u1 - 1e-9), floor(v0) == floor(v1 - 1e-9) else { return nil }
        return (Int(u0), Int(v0))
    }
}
