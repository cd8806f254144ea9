import Foundation
import Imaging

/// Contrast state of a static (non-dynamic) rendering of the phantom head.
public enum StaticContrast: Sendable {
    /// Plain head CT: every tissue at its baseline.
    case unenhanced
    /// CTA-like: vessels at peak arterial enhancement (AIF peak time), tissue slightly enhanced.
    case arterialPeak
}

/// A synthetic CT perfusion study: analytic head, indicator-dilution physics, renderer and
/// ground truth (DESIGN section 5). Immutable after `init`; every method is safe to call
/// concurrently and deterministic (same spec => same values, in any call order).
public final class PhantomModel: Sendable {
    public let spec: PhantomSpec
    /// The DICOM geometry of the dynamic series (see `PhantomGeometry.acquisitionGrid`).
    public let grid: Grid
    /// s, relative to the first frame, strictly increasing.
    public let frameTimes: [Double]
    public let truth: PhantomTruth

    private let voxelizer: Voxelizer
    private let bolus: BolusModel
    private let table: ClassTable
    /// Voxel classes in frame 0's pose.
    private let restClasses: [UInt16]
    /// Head pose of every frame (all equal except in the motion scenario).
    private let poses: [HeadPose]

    /// Builds the model; throws `PhantomError` for an invalid spec.
    public init(spec: PhantomSpec) throws {
        try spec.validate()
        self.spec = spec
        let config = ScenarioConfig(spec.scenario)
        grid = PhantomGeometry.grid(for: spec)
        frameTimes = PhantomGeometry.frameTimes(for: spec)
        let aif = GammaVariateBolus.arterialInput
        bolus = BolusModel(aif: aif, venousTransit: config.venousTransit,
                           horizonS: max(frameTimes[frameTimes.count - 1], aif.peakTimeS) + 1,
                           mttsS: ClassTable.mttsS)
        table = ClassTable(bolus: bolus, times: frameTimes)
        voxelizer = Voxelizer(lesion: config.lesion)
        let rest = PhantomGeometry.restingPose
        poses = config.hasMotion ? MotionSchedule.poses(frames: spec.frames, rest: rest)
            : [HeadPose](repeating: rest, count: spec.frames)
        restClasses = voxelizer.classIndices(grid: grid, pose: rest)
        truth = PhantomTruth(grid: grid, classes: restClasses, frameTimes: frameTimes, bolus: bolus,
                             scenario: spec.scenario, lesionSide: config.lesion?.side, poses: poses)
    }

    /// HU of frame t for every voxel (index i + nx*(j + ny*k)), rounded to integers, clamped to
    /// Int16: the class's noise-free value plus Gaussian noise of SD `spec.noiseHU`.
    /// Precondition: 0 <= t < frameTimes.count.
    public func renderFrame(_ t: Int) -> [Int16] {
        precondition(frameTimes.indices.contains(t), "frame \(t) is outside 0..<\(frameTimes.count)")
        let classes = poses[t] == poses[0] ? restClasses : voxelizer.classIndices(grid: grid, pose: poses[t])
        return render(classes: classes, grid: grid, tableHU: table.valuesHU, tableOffset: t * VoxelClass.count,
                      purpose: NoiseStream.dynamicFrame, frame: t)
    }

    /// The same head (frame 0's pose) on another grid, without dynamics; noise SD `spec.noiseHU`.
    public func renderStatic(grid: Grid, contrast: StaticContrast) -> [Int16] {
        let classes = voxelizer.classIndices(grid: grid, pose: poses[0])
        // Before the bolus arrives (t = 0) every delta is 0; the arterial peak is the AIF's.
        let time = contrast == .unenhanced ? 0 : bolus.aif.peakTimeS
        let staticTable = ClassTable(bolus: bolus, times: [time])
        let purpose = contrast == .unenhanced ? NoiseStream.staticUnenhanced : NoiseStream.staticArterialPeak
        return render(classes: classes, grid: grid, tableHU: staticTable.valuesHU, tableOffset: 0,
                      purpose: purpose, frame: 0)
    }

    /// Noise-free HU of every voxel of frame t (not rounded), for tests.
    func noiseFreeFrame(_ t: Int) -> [Double] {
        let classes = poses[t] == poses[0] ? restClasses : voxelizer.classIndices(grid: grid, pose: poses[t])
        return classes.map { table.valuesHU[t * VoxelClass.count + Int($0)] }
    }

    /// Voxel classes of frame 0 (for tests).
    var frameZeroClasses: [UInt16] { restClasses }

    /// The physics of this study (for tests).
    var bolusModel: BolusModel { bolus }

    private func render(classes: [UInt16], grid: Grid, tableHU: [Double], tableOffset: Int,
                        purpose: UInt64, frame: Int) -> [Int16] {
        let sliceSize = grid.nx * grid.ny, noiseSD = spec.noiseHU, seed = spec.seed
        return classes.withUnsafeBufferPointer { classPointer in
            tableHU.withUnsafeBufferPointer { tablePointer in
                let shared = SharedInput(classes: classPointer.baseAddress!, table: tablePointer.baseAddress! + tableOffset)
                return SliceParallel.build(slices: grid.nz, sliceSize: sliceSize) { (k: Int, out: SliceParallel.SharedOutput<Int16>) in
                    var rng = SeededRandom(seed: NoiseStream.seed(seed, purpose: purpose, frame: frame, slice: k))
                    renderVoxels(classes: shared.classes + k * sliceSize, table: shared.table, count: sliceSize,
                                 noiseSD: noiseSD, rng: &rng, out: out.base + k * sliceSize)
                }
            }
        }
    }

    /// Read-only pointers into arrays owned by `render`'s caller. `@unchecked Sendable` is safe
    /// because the slices only read them, and `render` returns only after every slice is done.
    private struct SharedInput: @unchecked Sendable {
        let classes: UnsafePointer<UInt16>
        let table: UnsafePointer<Double>
    }
}
