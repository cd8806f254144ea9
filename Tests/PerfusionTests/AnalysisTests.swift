import Foundation
import Imaging
import Phantom
import Testing
@testable import Perfusion

/// The public entry point: input checks, clear errors, user ROIs, progress and the JSON shape.
@Suite struct AnalysisTests {
    static let model: PhantomModel = {
        var spec = PhantomSpec()
        spec.scenario = .strokeLeft
        spec.matrix = 64
        spec.slices = 20
        do { return try PhantomModel(spec: spec) } catch { fatalError("\(error)") }
    }()

    @Test func tooFewTimePoints() {
        let v = PhantomRun.volume(Self.model)
        let n = v.grid.voxelCount
        let short = Volume4D(grid: v.grid, frameTimes: Array(v.frameTimes.prefix(4)), values: Array(v.values.prefix(4 * n)))
        #expect(throws: PerfusionError.self) { try PerfusionAnalysis.run(PerfusionInput(volume: short), options: PerfusionOptions()) }
        do {
            _ = try PerfusionAnalysis.run(PerfusionInput(volume: short), options: PerfusionOptions())
        } catch let error as PerfusionError {
            #expect(error.code == .tooFewTimePoints && error.description.contains("4 time points"))
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func framesMustBeOrdered() {
        var v = PhantomRun.volume(Self.model)
        v.frameTimes[5] = v.frameTimes[4]
        #expect { try PerfusionAnalysis.run(PerfusionInput(volume: v), options: PerfusionOptions()) } throws: { error in
            (error as? PerfusionError)?.code == .invalidInput && "\(error)".contains("frame 5")
        }
    }

    /// A series without contrast (the first frame repeated) has no arterial input.
    @Test func noContrastMeansNoArterialInput() {
        let v = PhantomRun.volume(Self.model)
        let n = v.grid.voxelCount
        let first = Array(v.values.prefix(n))
        let flat = Volume4D(grid: v.grid, frameTimes: v.frameTimes, values: (0..<v.nt).flatMap { _ in first })
        #expect { try PerfusionAnalysis.run(PerfusionInput(volume: flat), options: PerfusionOptions()) } throws: { error in
            (error as? PerfusionError)?.code == .noArterialInput && "\(error)".contains("100 HU")
        }
    }

    @Test func masksMustBeOnTheSeriesGrid() {
        let v = PhantomRun.volume(Self.model)
        let other = Grid(nx: 32, ny: 32, nz: 20, affineLPS: v.grid.affineLPS)
        let input = PerfusionInput(volume: v, lesionCortexMask: Volume3D(grid: other))
        #expect { try PerfusionAnalysis.run(input, options: PerfusionOptions()) } throws: { error in
            "\(error)".contains("--roi_mask")
        }
    }

    /// Every stage reports, in order, ending at 1.
    @Test func progressIsReportedPerStage() throws {
        final class Log: @unchecked Sendable {   // guarded by lock
            let lock = NSLock()
            var entries: [(PerfusionStage, Double)] = []
        }
        let log = Log()
        _ = try PerfusionAnalysis.run(PerfusionInput(volume: PhantomRun.volume(Self.model)), options: PerfusionOptions()) { stage, f in
            log.lock.lock(); log.entries.append((stage, f)); log.lock.unlock()
        }
        let finished = log.entries.filter { $0.1 == 1 }.map { $0.0 }
        #expect(finished == PerfusionStage.allCases)
        #expect(log.entries.allSatisfy { (0...1).contains($0.1) })
    }

    /// User ROIs define the corrected CBV index and the contra mask is the reference tissue.
    @Test func userROIsDefineTheCorrectedIndex() throws {
        let run = Runs.strokeLeft
        let t = run.truth, g = run.model.grid
        let plane = t.metrics.midSagittalPlane
        let point = Vector3(plane.pointLPS), normal = Vector3(plane.normalLPS)
        guard let toIndex = g.affineLPS.inverse else { Issue.record("singular affine"); return }
        var lesion = Volume3D(grid: g), contra = Volume3D(grid: g)
        for k in 0..<g.nz {
            for j in 0..<g.ny {
                for i in 0..<g.nx where t.labels[g.index(i, j, k)] == TissueLabel.greyMatter.rawValue {
                    let p = g.positionLPS(i: Double(i), j: Double(j), k: Double(k))
                    let d = (p - point).dot(normal)
                    if d > 0 { lesion[i, j, k] = 1; continue }
                    let m = toIndex.apply(p - normal * (2 * d))
                    let mi = Int(m.x.rounded()), mj = Int(m.y.rounded())
                    if (0..<g.nx).contains(mi), (0..<g.ny).contains(mj), t.hypoperfusionMask[mi, mj, k] > 0 { contra[i, j, k] = 1 }
                }
            }
        }
        let r = try PerfusionAnalysis.run(PerfusionInput(volume: run.volume, lesionCortexMask: lesion, contralateralCortexMask: contra),
                                          options: PerfusionOptions())
        let m = r.metrics
        #expect(m.reference.source == "contra_mask")
        #expect(m.cbvIndexCorrectedRegions.contains("roi_mask"))
        #expect(m.cbvIndexCorrectedLesionCortexVoxels > 500 && m.cbvIndexCorrectedContralateralCortexVoxels > 500)
        let index = try #require(m.cbvIndexCorrected)
        let truth = try #require(t.metrics.cbvIndexCorrected)
        #expect(abs(index - truth) < 0.15, "corrected CBV index \(index) vs \(truth)")
    }

    /// Metrics encode to JSON with units in the keys and nulls with reasons.
    @Test func metricsEncodeWithUnitsAndReasons() throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let healthy = String(decoding: try encoder.encode(Runs.healthy.result.metrics), as: UTF8.self)
        for key in ["core_volume_ml", "hypoperfusion_volume_ml", "mismatch_ratio_null_reason", "tmax_over10s_volume_ml",
                    "defuse3_target_mismatch", "pvt_threshold_s", "motion_max_displacement_mm", "published_cutoffs"] {
            #expect(healthy.contains("\"\(key)\""), "\(key)")
        }
        let m = Runs.healthy.result.metrics
        if m.coreVoxels == 0 { #expect(m.mismatchRatio == nil && m.mismatchRatioNullReason != nil) }
        let decoded = try JSONDecoder().decode(PerfusionMetrics.self, from: try JSONEncoder().encode(Runs.strokeLeft.result.metrics))
        #expect(decoded == Runs.strokeLeft.result.metrics)
        let s = Runs.strokeLeft.result.metrics
        #expect(s.mismatchRatio != nil && abs(s.mismatchRatio! - Double(s.hypoperfusionVoxels) / Double(s.coreVoxels)) < 1e-12)
        #expect(abs(s.prrPercent! - 100 * Double(s.penumbraVoxels) / Double(s.hypoperfusionVoxels)) < 1e-9)
    }
}
