import Foundation
import Imaging

/// Reference tissue, relative maps, lesion masks and the stroke metrics of DESIGN section 5,
/// on the analysis grid.
struct StrokeAnalysis: Sendable {
    var rcbf: [Float], rcbv: [Float]
    var hypoperfusion: [Bool], core: [Bool], penumbra: [Bool]
    var affectedSide: Int8?          // +1 left, -1 right
    var leftHypoperfused: Int, rightHypoperfused: Int
    var reference: PerfusionMetrics.ReferenceTissue
}

enum StrokeMetrics {
    /// Brain voxels with Tmax below this are reference tissue, s.
    static let referenceTmaxS = 4.0
    /// Affected side: the hemisphere with more Tmax > threshold volume, when the difference is at
    /// least `sideMinimumML` and `sideMinimumFraction` of the total.
    static let sideMinimumML = 2.0, sideMinimumFraction = 0.2

    static func analyse(maps: AnalysisMaps, hemispheres: [Int8], contralateral: [Bool]?, grid: Grid,
                        options: PerfusionOptions) -> StrokeAnalysis {
        let n = grid.voxelCount, voxelML = grid.voxelVolumeML
        let threshold = Float(options.tmaxThresholdS)
        var left = 0, right = 0
        for v in 0..<n where maps.brain[v] && maps.tmax[v] > threshold {
            if hemispheres[v] > 0 { left += 1 } else if hemispheres[v] < 0 { right += 1 }
        }
        var side: Int8?
        let difference = Double(abs(left - right))
        if difference * voxelML >= sideMinimumML && difference >= sideMinimumFraction * Double(left + right) {
            side = left > right ? 1 : -1
        }
        // Reference tissue.
        var refCBF = 0.0, refCBV = 0.0, refCount = 0
        let source: String
        if let contralateral {
            source = "contra_mask"
            for v in 0..<n where maps.brain[v] && contralateral[v] {
                refCBF += Double(maps.cbf[v]); refCBV += Double(maps.cbv[v]); refCount += 1
            }
        } else {
            source = side.map { $0 > 0 ? "right" : "left" } ?? "both"
            for v in 0..<n where maps.brain[v] && maps.tmax[v] < Float(referenceTmaxS) {
                if let s = side, hemispheres[v] != -s { continue }
                refCBF += Double(maps.cbf[v]); refCBV += Double(maps.cbv[v]); refCount += 1
            }
        }
        let meanCBF = refCount > 0 ? refCBF / Double(refCount) : 0
        let meanCBV = refCount > 0 ? refCBV / Double(refCount) : 0
        var rcbf = [Float](repeating: 0, count: n), rcbv = rcbf
        var hypo = [Bool](repeating: false, count: n), core = hypo, penumbra = hypo
        for v in 0..<n where maps.brain[v] {
            if meanCBF > 0 { rcbf[v] = Float(Double(maps.cbf[v]) / meanCBF) }
            if meanCBV > 0 { rcbv[v] = Float(Double(maps.cbv[v]) / meanCBV) }
            guard maps.tmax[v] > threshold else { continue }
            hypo[v] = true
            if meanCBF > 0 && Double(rcbf[v]) < options.rcbfThreshold { core[v] = true } else { penumbra[v] = true }
        }
        return StrokeAnalysis(rcbf: rcbf, rcbv: rcbv, hypoperfusion: hypo, core: core, penumbra: penumbra,
                              affectedSide: side, leftHypoperfused: left, rightHypoperfused: right,
                              reference: .init(source: source, voxels: refCount, cbfMLPer100gPerMin: meanCBF,
                                               cbvMLPer100g: meanCBV, tmaxBelowS: referenceTmaxS))
    }

    /// Volumes, ratios, target mismatch and CBV indices.
    struct Volumes {
        var brain = 0, over4 = 0, over6 = 0, over8 = 0, over10 = 0, hypo = 0, core = 0, penumbra = 0
    }

    static func volumes(maps: AnalysisMaps, stroke: StrokeAnalysis) -> Volumes {
        var c = Volumes()
        for v in maps.brain.indices where maps.brain[v] {
            c.brain += 1
            let t = maps.tmax[v]
            if t > 4 { c.over4 += 1 }
            if t > 6 { c.over6 += 1 }
            if t > 8 { c.over8 += 1 }
            if t > 10 { c.over10 += 1 }
            if stroke.hypoperfusion[v] { c.hypo += 1 }
            if stroke.core[v] { c.core += 1 }
            if stroke.penumbra[v] { c.penumbra += 1 }
        }
        return c
    }

    /// Mean CBV of `lesion` voxels over mean CBV of `reference` voxels, with counts.
    static func cbvRatio(cbv: [Float], lesion: [Bool], reference: [Bool]) -> (Double?, Int, Int, Double?) {
        var ls = 0.0, lc = 0, rs = 0.0, rc = 0
        for v in cbv.indices {
            if lesion[v] { ls += Double(cbv[v]); lc += 1 }
            if reference[v] { rs += Double(cbv[v]); rc += 1 }
        }
        let lesionMean = lc > 0 ? ls / Double(lc) : nil
        guard let lesionMean, rc > 0, rs > 0 else { return (nil, lc, rc, lesionMean) }
        return (lesionMean / (rs / Double(rc)), lc, rc, lesionMean)
    }

    /// Target mismatch profiles (DEFUSE-3, EXTEND-IA); a zero core with mismatch counts as an infinite ratio.
    static func targetMismatch(coreML: Double, hypoML: Double) -> (defuse3: Bool, extendIA: Bool) {
        let mismatch = hypoML - coreML
        let ratio = coreML > 0 ? hypoML / coreML : (mismatch > 0 ? Double.infinity : 0)
        return (coreML < 70 && ratio >= 1.8 && mismatch >= 15, coreML < 70 && ratio > 1.2 && mismatch > 10)
    }

    /// Published cut-offs beside our values (research use, not a diagnosis).
    static func cutoffs(cbvIndex: Double?, hir: Double?) -> [PerfusionMetrics.Cutoff] {
        [
            .init(metric: "cbv_index", threshold: ">= 0.8", meaning: "favourable collaterals in large-vessel occlusion",
                  citation: "Koneru et al. 2025", met: cbvIndex.map { $0 >= 0.8 }),
            .init(metric: "cbv_index", threshold: ">= 0.7", meaning: "favourable collaterals in medium-vessel occlusion",
                  citation: "Koneru et al. 2025", met: cbvIndex.map { $0 >= 0.7 }),
            .init(metric: "hypoperfusion_intensity_ratio", threshold: "<= 0.22 with cbv_index >= 0.9",
                  meaning: "suggests intracranial atherosclerotic stenosis (ICAS) as the occlusion's cause",
                  citation: "Imaoka et al. 2023",
                  met: hir.flatMap { h in cbvIndex.map { h <= 0.22 && $0 >= 0.9 } }),
            .init(metric: "cbv_index", threshold: "<= 0.7",
                  meaning: "associated with haemorrhagic transformation in medium-vessel occlusion",
                  citation: "Yedavalli et al. 2024", met: cbvIndex.map { $0 <= 0.7 }),
        ]
    }
}
