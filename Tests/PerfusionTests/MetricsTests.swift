import Foundation
import Imaging
import Testing
@testable import Perfusion

/// Stroke metrics on hand-made maps, and quality flags, checked by hand.
@Suite struct MetricsTests {
    /// DEFUSE-3: core < 70 mL, ratio >= 1.8, mismatch >= 15 mL; EXTEND-IA: core < 70 mL,
    /// ratio > 1.2, mismatch > 10 mL. A zero core with mismatch is an infinite ratio.
    @Test(arguments: [
        (20.0, 80.0, true, true),      // ratio 4, mismatch 60
        (70.0, 200.0, false, false),   // core not < 70
        (10.0, 25.0, true, true),      // ratio 2.5, mismatch 15 (DEFUSE-3 counts 15)
        (10.0, 20.0, false, false),    // ratio 2 but mismatch 10 (EXTEND-IA needs > 10)
        (10.0, 17.0, false, false),    // ratio 1.7, mismatch 7
        (0.0, 20.0, true, true),
        (0.0, 0.0, false, false),
    ])
    func targetMismatch(core: Double, hypo: Double, defuse3: Bool, extendIA: Bool) {
        let t = StrokeMetrics.targetMismatch(coreML: core, hypoML: hypo)
        #expect(t.defuse3 == defuse3 && t.extendIA == extendIA)
    }

    /// Ten 1 mL voxels: five on the left with long Tmax (two with low CBF), five normal on the right.
    static func maps() -> (AnalysisMaps, [Int8], Grid) {
        let grid = Grid(nx: 10, ny: 1, nz: 1, affineLPS: Affine(
            columnI: Vector3(10, 0, 0), columnJ: Vector3(0, 10, 0), columnK: Vector3(0, 0, 10), origin: .zero))
        var maps = Maps.empty(10)
        let cbf: [Float] = [50, 40, 8, 5, 30, 50, 50, 30, 30, 40]
        let tmax: [Float] = [7, 11, 12, 12, 5, 1, 1, 1, 2, 1]
        for v in 0..<10 {
            maps.cbf[v] = cbf[v]; maps.tmax[v] = tmax[v]; maps.cbv[v] = cbf[v] / 10; maps.mtt[v] = 6; maps.brain[v] = true
        }
        return (maps, (0..<10).map { $0 < 5 ? 1 : -1 }, grid)
    }

    @Test func lesionMasksAndReference() {
        let (maps, hemispheres, grid) = Self.maps()
        let s = StrokeMetrics.analyse(maps: maps, hemispheres: hemispheres, contralateral: nil, grid: grid, options: PerfusionOptions())
        // Reference: the right hemisphere (unaffected) with Tmax < 4 s: CBF 50, 50, 30, 30, 40 -> mean 40.
        #expect(s.affectedSide == 1 && s.reference.source == "right" && s.reference.voxels == 5)
        #expect(s.reference.cbfMLPer100gPerMin == 40 && abs(s.reference.cbvMLPer100g - 4) < 1e-6)
        // Tmax > 6: voxels 0-3. Core: rCBF < 0.3, i.e. CBF < 12: voxels 2 and 3.
        #expect(s.hypoperfusion == (0..<10).map { $0 < 4 })
        #expect(s.core == (0..<10).map { $0 == 2 || $0 == 3 })
        #expect(s.penumbra == (0..<10).map { $0 < 2 })
        #expect(s.rcbf[0] == 1.25 && s.rcbf[3] == 0.125)
        let v = StrokeMetrics.volumes(maps: maps, stroke: s)
        #expect(v.brain == 10 && v.over4 == 5 && v.over6 == 4 && v.over8 == 3 && v.over10 == 3 && v.core == 2 && v.penumbra == 2)
        // With a contralateral mask the reference is that mask (voxels 5 and 6: CBF 50).
        let contra = (0..<10).map { $0 == 5 || $0 == 6 }
        let c = StrokeMetrics.analyse(maps: maps, hemispheres: hemispheres, contralateral: contra, grid: grid, options: PerfusionOptions())
        #expect(c.reference.source == "contra_mask" && c.reference.cbfMLPer100gPerMin == 50 && c.reference.voxels == 2)
    }

    /// No clear asymmetry (less than 2 mL difference): no affected side, reference from both sides.
    @Test func symmetricBrainHasNoAffectedSide() {
        var (maps, hemispheres, grid) = Self.maps()
        for v in 0..<10 { maps.tmax[v] = v == 0 || v == 5 ? 8 : 1 }
        let s = StrokeMetrics.analyse(maps: maps, hemispheres: hemispheres, contralateral: nil, grid: grid, options: PerfusionOptions())
        #expect(s.affectedSide == nil && s.reference.source == "both" && s.reference.voxels == 8)
    }

    @Test func cbvRatioCountsItsVoxels() {
        let r = StrokeMetrics.cbvRatio(cbv: [1, 2, 3, 4], lesion: [true, true, false, false], reference: [false, false, true, true])
        #expect(r.0 == 1.5 / 3.5 && r.1 == 2 && r.2 == 2 && r.3 == 1.5)
        #expect(StrokeMetrics.cbvRatio(cbv: [1, 2], lesion: [false, false], reference: [true, true]).0 == nil)
    }

    @Test func publishedCutoffs() {
        let c = StrokeMetrics.cutoffs(cbvIndex: 0.75, hir: 0.2)
        #expect(c.count == 4 && c.allSatisfy { !$0.citation.isEmpty })
        #expect(c.map { $0.met } == [false, true, false, false])
        #expect(StrokeMetrics.cutoffs(cbvIndex: nil, hir: nil).allSatisfy { $0.met == nil })
    }

    /// Otsu on two clusters (30 and 44 HU) splits between them.
    @Test func otsuSplitsGreyFromWhite() throws {
        let t = try #require(Cortex.otsu([Float](repeating: 30, count: 50) + [Float](repeating: 44, count: 40)))
        #expect(t > 30 && t < 44)
    }

    @Test func qualityFlags() {
        let vascular = VascularCurves(aifMeasured: [0, 100, 50, 0], aifModel: GammaVariate(arrivalS: 0, riseS: 1, alpha: 3, peak: 100),
                                      aifFitRelativeRMS: 0.2, aifVoxels: [1], partialVolumeScale: 2.5, vofMeasured: [],
                                      vofModel: nil, vofVoxels: [], aifMeasuredArea: 100, vofMeasuredArea: 0)
        let flags = Quality.flags(.init(motionMaxMM: 2.5, correctedFrames: 3, frames: 10, baselineFrames: 1,
                                        brainCurve: [0, 10, 8], vascular: vascular, contrastToNoise: 1,
                                        edgeHypoperfusedML: 3))
        #expect(Set(flags.map { $0.code }) == Set(QualityFlag.Code.allCases))
        let poor = flags.first { $0.code == .poorAIF }!.message
        #expect(poor.contains("peak 100.00 HU") && poor.contains("partial-volume scale 2.50") && poor.contains("no venous output"))
        let clean = Quality.flags(.init(motionMaxMM: 0, correctedFrames: 0, frames: 30, baselineFrames: 4,
                                        brainCurve: [0, 10, 1], vascular: VascularCurves(
                                            aifMeasured: [0, 300, 0], aifModel: vascular.aifModel, aifFitRelativeRMS: 0.01,
                                            aifVoxels: [1, 2, 3, 4], partialVolumeScale: 1, vofMeasured: [0, 200, 20],
                                            vofModel: nil, vofVoxels: [5], aifMeasuredArea: 1, vofMeasuredArea: 1),
                                        contrastToNoise: 10, edgeHypoperfusedML: 0))
        #expect(clean.isEmpty)
    }
}

@Suite struct OptionsTests {
    /// Options decode from partial JSON: missing keys keep their defaults.
    @Test func partialOptionsKeepDefaults() throws {
        let o = try JSONDecoder().decode(PerfusionOptions.self, from: Data(#"{"tmaxThresholdS": 4, "deconvolution": "bcsvd"}"#.utf8))
        #expect(o.tmaxThresholdS == 4 && o.deconvolution == .blockCirculantSVD)
        #expect(o.rcbfThreshold == 0.30 && o.tissueDensityGPerML == 1.04 && o.hematocritFactorKH == 0.73 && o.pvtThresholdS == 10)
        let round = try JSONDecoder().decode(PerfusionOptions.self, from: try JSONEncoder().encode(o))
        #expect(round == o)
    }
}

@Suite struct MetricsJSONTests {
    /// Undefined values are explicit nulls (the key is there), and decoding reads them back.
    @Test func nullsAreExplicit() throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let m = Runs.healthy.result.metrics
        let json = String(decoding: try encoder.encode(m), as: UTF8.self)
        #expect(m.mismatchRatio == nil)
        #expect(json.contains("\"mismatch_ratio\":null"))
        #expect(json.contains("\"affected_side\":null"))
        // (Snake case does not round-trip acronyms such as CBF, so decode the camel-case form.)
        let camel = try JSONEncoder().encode(m)
        #expect(String(decoding: camel, as: UTF8.self).contains("\"mismatchRatio\":null"))
        #expect(try JSONDecoder().decode(PerfusionMetrics.self, from: camel) == m)
    }
}
