import Foundation
import Imaging

/// Ground truth of a phantom study, on the acquisition grid in frame 0's pose.
/// Maps are 0 outside brain tissue (grey, deep grey and white matter); masks are 0/1.
public struct PhantomTruth: Sendable {
    /// mL/100g/min
    public let cbf: Volume3D
    /// mL/100g
    public let cbv: Volume3D
    /// s
    public let mtt: Volume3D
    /// s, relative to the arterial input
    public let tmax: Volume3D
    /// `TissueLabel` raw value per voxel.
    public let labels: [UInt8]
    /// `PerfusionRegion` raw value per voxel (normal outside the lesion and outside brain).
    public let regions: [UInt8]
    /// Brain tissue: grey, deep grey and white matter (not CSF, vessels, clot or sinus).
    public let brainMask: Volume3D
    /// rCBF < 0.30 and Tmax > 6 s.
    public let coreMask: Volume3D
    /// Hypoperfusion minus core.
    public let penumbraMask: Volume3D
    /// Brain with 4 s < Tmax <= 6 s.
    public let oligaemiaMask: Volume3D
    /// Brain with Tmax > 6 s.
    public let hypoperfusionMask: Volume3D
    /// Venous ROIs: voxels at least half filled by the superior sagittal sinus ...
    public let sinusMask: Volume3D
    /// ... and by the torcula (confluence of sinuses).
    public let torculaMask: Volume3D
    /// True arterial input and venous outflow at `frameTimes`, delta HU (full vessel, no partial volume).
    public let aifDeltaHU: [Double]
    public let vofDeltaHU: [Double]
    /// nil for a healthy study.
    public let lesionSide: LesionSide?
    public let metrics: PhantomTruthMetrics
}

/// Per-voxel truth before masks and metrics: maps from the voxel classes of frame 0.
struct TruthMaps {
    let grid: Grid
    var cbf: [Float], cbv: [Float], mtt: [Float], tmax: [Float]
    var labels: [UInt8], regions: [UInt8]
    var sinus: [Float], torcula: [Float]
    /// +1 on the left (+x) of the mid-sagittal plane, -1 on the right, 0 on it.
    var hemisphere: [Int8]

    init(grid: Grid, classes: [UInt16], plane: MidSagittalPlane) {
        self.grid = grid
        let n = grid.voxelCount
        cbf = [Float](repeating: 0, count: n); cbv = cbf; mtt = cbf; tmax = cbf; sinus = cbf; torcula = cbf
        labels = [UInt8](repeating: 0, count: n); regions = labels
        hemisphere = [Int8](repeating: 0, count: n)
        // One lookup per distinct class, not per voxel.
        var decoded = [VoxelClass?](repeating: nil, count: VoxelClass.count)
        let normal = plane.normal, point = plane.point
        for k in 0..<grid.nz {
            for j in 0..<grid.ny {
                for i in 0..<grid.nx {
                    let v = grid.index(i, j, k)
                    let c = Int(classes[v])
                    if decoded[c] == nil { decoded[c] = VoxelClass(index: classes[v]) }
                    let vc = decoded[c]!
                    let label = vc.label
                    labels[v] = label.rawValue
                    let d = (grid.positionLPS(i: Double(i), j: Double(j), k: Double(k)) - point).dot(normal)
                    hemisphere[v] = d > 0 ? 1 : (d < 0 ? -1 : 0)
                    if label == .sinus {
                        if vc.vessel == .superiorSagittalSinus { sinus[v] = 1 }
                        if vc.vessel == .torcula { torcula[v] = 1 }
                    }
                    guard let dyn = TissuePerfusion.dynamics(label, vc.region) else { continue }
                    regions[v] = vc.region.rawValue
                    cbf[v] = Float(dyn.cbfMLPer100gPerMin)
                    cbv[v] = Float(dyn.cbvMLPer100g)
                    mtt[v] = Float(dyn.mttS)
                    tmax[v] = Float(dyn.delayS)
                }
            }
        }
    }

    func isBrain(_ v: Int) -> Bool { TissueLabel(rawValue: labels[v])?.isBrainTissue ?? false }
}

/// The mid-sagittal plane in LPS: the head's symmetry plane (frame 0's pose).
public struct MidSagittalPlane: Sendable, Codable, Equatable {
    /// A point on the plane, mm.
    public let pointLPS: [Double]
    /// Unit normal pointing to the patient's left half, LPS.
    public let normalLPS: [Double]

    var point: Vector3 { Vector3(pointLPS) }
    var normal: Vector3 { Vector3(normalLPS) }

    init(pose: HeadPose) {
        pointLPS = pose.originLPS.array
        normalLPS = [cos(pose.yawRad), sin(pose.yawRad), 0]
    }

    /// Mirror image of a point, LPS mm.
    func reflect(_ p: Vector3) -> Vector3 { p - normal * (2 * (p - point).dot(normal)) }
}

extension PhantomTruth {
    init(grid: Grid, classes: [UInt16], frameTimes: [Double], bolus: BolusModel, scenario: PerfusionScenario,
         lesionSide: LesionSide?, poses: [HeadPose]) {
        let plane = MidSagittalPlane(pose: poses[0])
        let maps = TruthMaps(grid: grid, classes: classes, plane: plane)
        let result = TruthMetricsCalculator(maps: maps, plane: plane, lesionSide: lesionSide).compute(
            scenario: scenario, bolus: bolus, motionMaxDisplacementMM: Self.maxDisplacementMM(maps: maps, poses: poses))
        func volume(_ values: [Float]) -> Volume3D { Volume3D(grid: grid, values: values) }
        cbf = volume(maps.cbf); cbv = volume(maps.cbv); mtt = volume(maps.mtt); tmax = volume(maps.tmax)
        labels = maps.labels
        regions = maps.regions
        brainMask = volume(result.masks.brain)
        coreMask = volume(result.masks.core)
        penumbraMask = volume(result.masks.penumbra)
        oligaemiaMask = volume(result.masks.oligaemia)
        hypoperfusionMask = volume(result.masks.hypoperfusion)
        sinusMask = volume(maps.sinus)
        torculaMask = volume(maps.torcula)
        aifDeltaHU = frameTimes.map { bolus.aif.deltaHU(atS: $0) }
        vofDeltaHU = frameTimes.map { bolus.vofCurve.value(atS: $0) }
        self.lesionSide = lesionSide
        metrics = result.metrics
    }

    /// Largest distance (mm) any brain voxel centre of frame 0 moves in any frame's pose.
    /// A pose moves p by (Rz(dyaw) - I)(p - origin0) + (origin - origin0), in-plane.
    static func maxDisplacementMM(maps: TruthMaps, poses: [HeadPose]) -> Double {
        let rest = poses[0]
        var distinct: [HeadPose] = []
        for p in poses where p != rest && !distinct.contains(p) { distinct.append(p) }
        guard !distinct.isEmpty else { return 0 }
        let moves = distinct.map { pose in
            (c: cos(pose.yawRad - rest.yawRad) - 1, s: sin(pose.yawRad - rest.yawRad),
             t: pose.originLPS - rest.originLPS)
        }
        let g = maps.grid
        var result = 0.0
        for k in 0..<g.nz {
            for j in 0..<g.ny {
                for i in 0..<g.nx where maps.isBrain(g.index(i, j, k)) {
                    let d = g.positionLPS(i: Double(i), j: Double(j), k: Double(k)) - rest.originLPS
                    for m in moves {
                        let dx = m.c * d.x - m.s * d.y + m.t.x, dy = m.s * d.x + m.c * d.y + m.t.y
                        result = max(result, (dx * dx + dy * dy).squareRoot())
                    }
                }
            }
        }
        return result
    }
}
