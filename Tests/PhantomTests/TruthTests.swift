import Foundation
import Imaging
import Testing
@testable import Phantom

@Suite struct TruthTests {
    /// Core (and every lesion voxel) lies on the requested side: left = +x in LPS.
    @Test(arguments: [(PerfusionScenario.strokeLeft, 1.0), (.strokeRight, -1.0)])
    func lesionIsOnTheRequestedSide(scenario: PerfusionScenario, sign: Double) {
        let m = scenario == .strokeLeft ? Fixtures.strokeLeft : Fixtures.strokeRight
        #expect(m.truth.lesionSide == (sign > 0 ? .left : .right))
        #expect(m.truth.metrics.affectedSide == (sign > 0 ? "left" : "right"))
        let hypo = m.truth.hypoperfusionMask.values.indices.filter { m.truth.hypoperfusionMask.values[$0] > 0 }
        #expect(hypo.count > 100)
        #expect(hypo.allSatisfy { Fixtures.signedDistanceMM(m, $0) * sign > 0 })
        // Left is +x in LPS: the lesion's mean x is on the positive side of the head's midline.
        let g = m.grid
        let meanX = hypo.map { g.positionLPS(i: Double($0 % g.nx), j: 0, k: 0).x }.reduce(0, +) / Double(hypo.count)
        #expect((meanX - m.truth.metrics.midSagittalPlane.pointLPS[0]) * sign > 20)
    }

    @Test(arguments: [PerfusionScenario.strokeLeft, .healthy])
    func mapsFollowTheirDefinitions(scenario: PerfusionScenario) {
        let m = scenario == .healthy ? Fixtures.healthy : Fixtures.strokeLeft
        let t = m.truth
        for v in t.labels.indices {
            let label = TissueLabel(rawValue: t.labels[v])!
            let brain = t.brainMask.values[v] > 0
            #expect(brain == label.isBrainTissue)
            if !brain {
                #expect(t.cbf.values[v] == 0 && t.cbv.values[v] == 0 && t.mtt.values[v] == 0 && t.tmax.values[v] == 0)
                continue
            }
            let cbf = Double(t.cbf.values[v]), cbv = Double(t.cbv.values[v]), mtt = Double(t.mtt.values[v])
            #expect(abs(60 * cbv / cbf - mtt) < 1e-4 * mtt)
            if t.regions[v] == PerfusionRegion.normal.rawValue {
                let normal = label == .whiteMatter ? TissuePerfusion.normalWhiteMatter : TissuePerfusion.normalGreyMatter
                #expect(cbf == normal.cbfMLPer100gPerMin && Double(t.tmax.values[v]) == Double(Float(normal.delayS)))
            }
        }
        #expect(t.metrics.greyMatter.cbfMLPer100gPerMin == 60 && t.metrics.greyMatter.cbvMLPer100g == 4)
        #expect(t.metrics.whiteMatter.cbfMLPer100gPerMin == 25 && t.metrics.whiteMatter.cbvMLPer100g == 2)
    }

    /// Every metric recomputed here from the truth maps with DESIGN section 5's definitions.
    @Test(arguments: [PerfusionScenario.strokeLeft, .strokeRight])
    func metricsAreConsistentWithTheMaps(scenario: PerfusionScenario) throws {
        let m = scenario == .strokeLeft ? Fixtures.strokeLeft : Fixtures.strokeRight
        let t = m.truth, x = t.metrics, n = t.labels.count, ml = m.grid.voxelVolumeML
        let sign = scenario == .strokeLeft ? 1.0 : -1.0
        let brain = (0..<n).filter { t.brainMask.values[$0] > 0 }
        let reference = brain.filter { t.tmax.values[$0] < 4 && Fixtures.signedDistanceMM(m, $0) * sign < 0 }
        let refCBF = reference.map { Double(t.cbf.values[$0]) }.reduce(0, +) / Double(reference.count)
        let refCBV = reference.map { Double(t.cbv.values[$0]) }.reduce(0, +) / Double(reference.count)
        #expect(x.reference.voxels == reference.count && x.reference.hemisphere == (sign > 0 ? "right" : "left"))
        #expect(abs(x.reference.cbfMLPer100gPerMin - refCBF) < 1e-9 && abs(x.reference.cbvMLPer100g - refCBV) < 1e-9)
        func count(_ over: Double) -> Int { brain.filter { Double(t.tmax.values[$0]) > over }.count }
        let hypo = brain.filter { t.tmax.values[$0] > 6 }
        let core = hypo.filter { Double(t.cbf.values[$0]) / refCBF < 0.30 }
        let counts = [x.tmaxOver4sVoxels, x.tmaxOver6sVoxels, x.tmaxOver8sVoxels, x.tmaxOver10sVoxels]
        #expect(counts == [count(4), hypo.count, count(8), count(10)])
        #expect(x.coreVoxels == core.count)
        #expect(x.penumbraVoxels == hypo.count - core.count)
        // Masks: core ⊂ hypoperfusion, penumbra = hypoperfusion − core.
        for v in 0..<n {
            let h = t.hypoperfusionMask.values[v], c = t.coreMask.values[v], p = t.penumbraMask.values[v]
            #expect(c <= h)
            #expect(p == h - c)
        }
        #expect(Int(t.coreMask.values.reduce(0, +)) == core.count)
        #expect(abs(x.coreVolumeML - Double(core.count) * ml) < 1e-9)
        #expect(abs(x.tmaxOver6sVolumeML - Double(hypo.count) * ml) < 1e-9)
        let mismatch = Double(hypo.count - core.count) * ml
        #expect(abs(x.mismatchVolumeML - mismatch) < 1e-9)
        let ratio = try #require(x.mismatchRatio)
        #expect(abs(ratio - Double(hypo.count) / Double(core.count)) < 1e-12)
        #expect(x.defuse3TargetMismatch == (x.coreVolumeML < 70 && ratio >= 1.8 && mismatch >= 15))
        #expect(x.extendIATargetMismatch == (x.coreVolumeML < 70 && ratio > 1.2 && mismatch > 10))
        let hypoCount = Double(hypo.count), penumbraCount = Double(hypo.count - core.count)
        let prr = try #require(x.prrPercent)
        let hir = try #require(x.hypoperfusionIntensityRatio)
        let compensation = try #require(x.compensationIndex)
        #expect(abs(prr - penumbraCount / hypoCount * 100) < 1e-9)
        #expect(abs(hir - Double(count(10)) / hypoCount) < 1e-12)
        #expect(abs(compensation - Double(count(4)) / hypoCount) < 1e-12)
        let lesionCBV = hypo.map { Double(t.cbv.values[$0]) }.reduce(0, +) / Double(hypo.count)
        let conventional = try #require(x.cbvIndexConventional)
        #expect(abs(conventional - lesionCBV / refCBV) < 1e-9)
        // The designed regions are exactly the truth classes: core region = core mask, and the
        // margins to the 0.30 threshold are wide (GM core well below, WM penumbra well above).
        for v in hypo {
            let isCoreRegion = t.regions[v] == PerfusionRegion.core.rawValue
            #expect((t.coreMask.values[v] > 0) == isCoreRegion)
            let rCBF = Double(t.cbf.values[v]) / refCBF
            #expect(isCoreRegion ? rCBF < 0.25 : rCBF > 0.38)
        }
        #expect(x.defuse3TargetMismatch && x.extendIATargetMismatch)
    }

    @Test func correctedCBVIndexUsesMirroredCortex() throws {
        let x = Fixtures.strokeLeft.truth.metrics
        let corrected = try #require(x.cbvIndexCorrected)
        #expect(x.cbvIndexCorrectedLesionCortexVoxels > 50 && x.cbvIndexCorrectedContralateralCortexVoxels > 50)
        // Lesion cortex mixes core (CBV 1.2) and penumbra (4.55) against normal cortex (4).
        #expect(corrected > 1.2 / 4 && corrected < 4.55 / 4)
        let conventional = try #require(x.cbvIndexConventional)
        #expect(conventional > 0 && conventional < 2)
    }

    @Test func healthyHasNoLesion() {
        let x = Fixtures.healthy.truth.metrics
        #expect(Fixtures.healthy.truth.lesionSide == nil && x.affectedSide == nil)
        #expect(x.coreVoxels == 0 && x.tmaxOver4sVoxels == 0 && x.tmaxOver6sVoxels == 0)
        #expect(x.coreVolumeML == 0 && x.mismatchRatio == nil && x.mismatchRatioNullReason == "core volume is 0 mL")
        #expect(!x.defuse3TargetMismatch && !x.extendIATargetMismatch)
        #expect(x.prrPercent == nil && x.hypoperfusionIntensityRatio == nil && x.cbvIndexCorrected == nil)
        #expect(x.reference.hemisphere == "both" && x.reference.voxels == x.brainVoxels)
        #expect(x.regions.map(\.region) == ["normal"])
    }

    @Test(arguments: [(PerfusionScenario.strokeLeft, 6.5, false), (.pvt, 12.0, true), (.largeCore, 12.0, true)])
    func venousTruth(scenario: PerfusionScenario, tmaxS: Double, pvt: Bool) throws {
        let m = scenario == .strokeLeft ? Fixtures.strokeLeft : Fixtures.model(scenario)
        let v = m.truth.metrics.venous
        #expect(v.sinusTmaxS == tmaxS && v.torculaTmaxS == tmaxS && v.prolongedVenousTransit == pvt)
        #expect(v.sinusVoxels == Int(m.truth.sinusMask.values.reduce(0, +)) && v.sinusVoxels > 20)
        #expect(v.torculaVoxels == Int(m.truth.torculaMask.values.reduce(0, +)) && v.torculaVoxels > 3)
        // Sinus and torcula voxels are labelled sinus, on the midline.
        for i in m.truth.labels.indices where m.truth.sinusMask.values[i] > 0 || m.truth.torculaMask.values[i] > 0 {
            #expect(m.truth.labels[i] == TissueLabel.sinus.rawValue)
            #expect(abs(Fixtures.signedDistanceMM(m, i)) < 12)
        }
        // The sampled VOF is AIF ⊗ h: recompute by direct quadrature at the frame times.
        let h = VenousTransit(modeS: tmaxS), aif = GammaVariateBolus.arterialInput
        for (n, time) in m.frameTimes.enumerated() {
            let direct = stride(from: 0.0, through: time, by: 0.01).map { aif.deltaHU(atS: $0) * h.density(atS: time - $0) * 0.01 }
            #expect(abs(direct.reduce(0, +) - m.truth.vofDeltaHU[n]) < 0.5)
        }
    }

    /// Lesion sizes at matrix 64 (the same anatomy at 256 is within a few percent).
    @Test func scenarioLesionSizes() {
        let standard = Fixtures.strokeLeft.truth.metrics
        #expect(standard.coreVolumeML > 16 && standard.coreVolumeML < 24)
        #expect(standard.tmaxOver6sVolumeML > 70 && standard.tmaxOver6sVolumeML < 90)
        let large = Fixtures.model(.largeCore).truth.metrics
        #expect(large.coreVolumeML >= 70 && !large.defuse3TargetMismatch && large.venous.prolongedVenousTransit)
        let small = Fixtures.model(.smallCore).truth.metrics
        #expect(small.coreVolumeML > 3 && small.coreVolumeML < 7 && small.penumbraVolumeML >= 80)
        #expect(small.affectedSide == "right")
        // Not at the slab's edge: no lesion in the top and bottom two slices.
        let m = Fixtures.strokeLeft, perSlice = m.grid.nx * m.grid.ny
        let hypo = m.truth.tmax.values.enumerated().filter { $0.element > 4 }.map { $0.offset / perSlice }
        #expect(hypo.min()! >= 2 && hypo.max()! <= m.grid.nz - 3)
    }

    @Test func metricsEncodeWithUnitBearingSnakeCaseKeys() throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let json = try #require(String(data: try encoder.encode(Fixtures.strokeLeft.truth.metrics), encoding: .utf8))
        for key in ["\"core_volume_ml\"", "\"tmax_over6s_volume_ml\"", "\"cbf_ml_per100g_per_min\"", "\"mtt_s\"",
                    "\"tissue_density_g_per_ml\"", "\"hematocrit_factor_kh\"", "\"defuse3_target_mismatch\"",
                    "\"extend_ia_target_mismatch\"", "\"motion_max_displacement_mm\"", "\"point_lps\"",
                    "\"hypoperfusion_intensity_ratio\"", "\"cbv_index_corrected_contralateral_cortex_voxels\""] {
            #expect(json.contains(key), "missing \(key)")
        }
        #expect(!json.contains("__") && json.range(of: "\"[a-z0-9_]*[A-Z][A-Za-z0-9_]*\":", options: .regularExpression) == nil)
        // Round trip with the default (camelCase) keys.
        let plain = try JSONEncoder().encode(Fixtures.strokeLeft.truth.metrics)
        #expect(try JSONDecoder().decode(PhantomTruthMetrics.self, from: plain) == Fixtures.strokeLeft.truth.metrics)
    }
}
