import Foundation
import Imaging
import Phantom
import Testing
@testable import Perfusion

/// The accuracy bar of the brief, measured against the phantom's truth (128 x 128 x 20 x 30
/// frames at 2 s, 8 HU noise). Tolerances are the bar itself; the comments give what the
/// method reached when the tolerances were set, so a regression shows before it fails.
@Suite struct PhantomAccuracyTests {
    /// Normal grey and white matter: CBF and CBV median |relative error| <= 15 %, MTT <= 20 %.
    /// (Reached: GM CBF 5-7 %, CBV 2-3 %, MTT 7-9 %; WM CBF 9-10 %, CBV 4-5 %, MTT 12-13 %;
    /// motion: GM CBF 6-9 %, CBV 6-7 %, MTT 11-17 %.)
    @Test(arguments: [PerfusionScenario.healthy, .strokeLeft, .strokeRight, .largeCore, .smallCore, .pvt,
                      .motion, .variableSampling])
    func normalTissueMaps(scenario: PerfusionScenario) {
        let run = Runs.run(scenario)
        for label in [TissueLabel.greyMatter, .whiteMatter] {
            let voxels = run.voxels(label: label)
            #expect(voxels.count > 10_000, "\(label) voxels in both brain masks")
            let cbf = run.medianAbsoluteRelativeError(\.cbf, \.cbf, voxels: voxels)
            let cbv = run.medianAbsoluteRelativeError(\.cbv, \.cbv, voxels: voxels)
            let mtt = run.medianAbsoluteRelativeError(\.mtt, \.mtt, voxels: voxels)
            #expect(cbf <= 0.15, "\(scenario.rawValue) \(label) CBF median error \(cbf)")
            #expect(cbv <= 0.15, "\(scenario.rawValue) \(label) CBV median error \(cbv)")
            #expect(mtt <= 0.20, "\(scenario.rawValue) \(label) MTT median error \(mtt)")
        }
    }

    /// Tmax mean absolute error <= 1.0 s over brain tissue. (Reached: 0.33-0.54 s.)
    @Test(arguments: [PerfusionScenario.healthy, .strokeLeft, .strokeRight, .largeCore, .smallCore, .pvt,
                      .motion, .variableSampling])
    func tmaxError(scenario: PerfusionScenario) {
        let error = Runs.run(scenario).tmaxMeanAbsoluteErrorS
        #expect(error <= 1.0, "\(scenario.rawValue) Tmax MAE \(error) s")
    }

    /// Tmax > 6 s volume within 10 % of truth with Dice >= 0.85; core within 5 mL.
    /// (Reached: hypoperfusion -6 % ... +6 %, Dice 0.89-0.95; core within 4 mL.)
    @Test(arguments: [PerfusionScenario.strokeLeft, .strokeRight, .largeCore, .smallCore, .motion, .variableSampling])
    func lesionVolumes(scenario: PerfusionScenario) {
        let run = Runs.run(scenario)
        let m = run.result.metrics, t = run.truth.metrics
        let hypoError = abs(m.hypoperfusionVolumeML / t.hypoperfusionVolumeML - 1)
        #expect(hypoError <= 0.10, "\(scenario.rawValue) Tmax>6 \(m.hypoperfusionVolumeML) vs \(t.hypoperfusionVolumeML) mL")
        let dice = PhantomRun.dice(run.result.hypoperfusionMask, run.truth.hypoperfusionMask)
        #expect(dice >= 0.85, "\(scenario.rawValue) Tmax>6 Dice \(dice)")
        #expect(abs(m.coreVolumeML - t.coreVolumeML) <= 5, "\(scenario.rawValue) core \(m.coreVolumeML) vs \(t.coreVolumeML) mL")
        // The volumes are the voxel counts times the voxel volume, on the analysis grid.
        #expect(abs(m.coreVolumeML - Double(m.coreVoxels) * m.settings.analysisVoxelVolumeML) < 1e-9)
    }

    /// Healthy brain: core < 2 mL, Tmax > 6 s < 5 mL, no affected side, no PVT. (Reached: 0 and 0.07 mL.)
    @Test func healthyBrainHasNoLesion() {
        let m = Runs.healthy.result.metrics
        #expect(m.coreVolumeML < 2)
        #expect(m.hypoperfusionVolumeML < 5)
        #expect(m.affectedSide == nil)
        #expect(m.reference.source == "both")
        #expect(m.venous.prolongedVenousTransit == false)
    }

    /// The affected side comes from the Tmax asymmetry about the mid-sagittal plane.
    @Test(arguments: [(PerfusionScenario.strokeLeft, "left"), (.strokeRight, "right"), (.smallCore, "right"),
                      (.largeCore, "left"), (.motion, "left"), (.variableSampling, "right")])
    func affectedSide(scenario: PerfusionScenario, side: String) {
        let m = Runs.run(scenario).result.metrics
        #expect(m.affectedSide == side)
        #expect(m.reference.source == (side == "left" ? "right" : "left"))
    }

    /// PVT: sinus/torcula Tmax >= 10 s on pvt and large-core (venous Tmax 12 s), not on stroke-left (6.5 s).
    /// (Reached: medians 12.2-12.5 s and 6.6-6.9 s.)
    @Test(arguments: [(PerfusionScenario.pvt, true), (.largeCore, true), (.strokeLeft, false), (.healthy, false)])
    func prolongedVenousTransit(scenario: PerfusionScenario, expected: Bool) {
        let run = Runs.run(scenario)
        let v = run.result.metrics.venous
        #expect(v.prolongedVenousTransit == expected, "\(scenario.rawValue): \(v.call)")
        let truthTmax = run.truth.metrics.venous.sinusTmaxS
        for roi in [v.superiorSagittalSinus, v.torcula] {
            #expect(roi.voxels >= 20)
            let median = roi.tmaxMedianS ?? -100
            #expect(abs(median - truthTmax) < 1.5, "venous Tmax \(median) vs \(truthTmax) s")
        }
        // The ROIs lie on the truth's venous structures: most voxels are sinus (label 7) or touch it.
        let sinus = run.result.sinusROI.values.indices.filter { run.result.sinusROI.values[$0] > 0 }
        let onSinus = sinus.filter { run.truth.labels[$0] == TissueLabel.sinus.rawValue }.count
        #expect(Double(onSinus) >= 0.5 * Double(sinus.count), "\(onSinus) of \(sinus.count) sinus ROI voxels on the sinus")
    }

    /// Motion up to ~2.6 mm: detected, measured within 0.3 mm, corrected, flagged.
    @Test func motionIsMeasuredAndFlagged() {
        let run = Runs.motion
        let m = run.result.metrics
        #expect(abs(m.motionMaxDisplacementMM - run.truth.metrics.motionMaxDisplacementMM) < 0.3,
                "\(m.motionMaxDisplacementMM) vs \(run.truth.metrics.motionMaxDisplacementMM) mm")
        #expect(m.motionCorrectedFrames >= 9)
        #expect(run.result.qualityFlags.contains { $0.code == .motion })
        #expect(Runs.strokeLeft.result.metrics.motionMaxDisplacementMM == 0)
        #expect(Runs.strokeLeft.result.qualityFlags.isEmpty, "\(Runs.strokeLeft.result.qualityFlags)")
    }

    /// The mid-sagittal plane is found by symmetry (the phantom head is 4 mm off-centre and yawed 4 degrees).
    @Test func midSagittalPlane() {
        let run = Runs.strokeLeft
        let plane = run.result.metrics.midSagittalPlane, truth = run.truth.metrics.midSagittalPlane
        let n = Vector3(plane.normalLPS), tn = Vector3(truth.normalLPS)
        #expect(acos(min(1, n.dot(tn))) * 180 / .pi < 0.5)
        #expect(abs((Vector3(plane.pointLPS) - Vector3(truth.pointLPS)).dot(tn)) < 0.5)
    }

    /// The AIF is found in the arteries (peak ~350 HU at ~14.5 s) and the VOF in the sinuses.
    @Test func arterialAndVenousCurves() {
        let run = Runs.strokeLeft
        let aif = run.result.aif, vof = run.result.vof
        #expect(abs(aif.timeToPeakS - run.truth.metrics.bolus.aifPeakTimeS) < 0.5)
        #expect(abs(aif.peakDeltaHU / run.truth.metrics.bolus.aifPeakDeltaHU - 1) < 0.1)
        #expect(aif.partialVolumeScale >= 1 && aif.partialVolumeScale < 1.2)
        #expect(aif.voxels.allSatisfy { run.truth.labels[run.model.grid.index($0[0], $0[1], $0[2])] == TissueLabel.artery.rawValue })
        #expect(vof.voxels.allSatisfy { run.truth.labels[run.model.grid.index($0[0], $0[1], $0[2])] == TissueLabel.sinus.rawValue })
        #expect(vof.timeToPeakS > aif.timeToPeakS + 3)
    }

    /// Relative maps: the reference tissue's mean rCBF is 1 and the core is rCBF < 0.3 and Tmax > 6 s.
    @Test func relativeMapsAndMasksAgree() {
        let r = Runs.strokeLeft.result
        let m = r.metrics
        var hypo = 0, core = 0, penumbra = 0
        for v in r.cbf.values.indices where r.brainMask.values[v] > 0 {
            let isHypo = r.tmax.values[v] > 6, isCore = isHypo && r.rcbf.values[v] < 0.3
            #expect((r.hypoperfusionMask.values[v] > 0) == isHypo)
            #expect((r.coreMask.values[v] > 0) == isCore)
            #expect((r.penumbraMask.values[v] > 0) == (isHypo && !isCore))
            if isHypo { hypo += 1 }
            if isCore { core += 1 }
            if isHypo && !isCore { penumbra += 1 }
            #expect(abs(r.rcbf.values[v] * Float(m.reference.cbfMLPer100gPerMin) - r.cbf.values[v]) <= 1e-3 * max(1, r.cbf.values[v]))
        }
        #expect(hypo == m.hypoperfusionVoxels * Int(pow(Double(m.settings.analysisBinning), 2)))
        #expect(core > 0 && penumbra > 0)
        #expect(abs(m.reference.cbfMLPer100gPerMin / Runs.strokeLeft.truth.metrics.reference.cbfMLPer100gPerMin - 1) < 0.1)
    }
}

/// Why the default is the parametric fit: the textbook block-circulant SVD (oscillation index),
/// given the same smoothed curves, shows the known limits of DESIGN section 5 on the phantom.
@Suite struct TextbookMethodTests {
    @Test func blockCirculantSVDReadsLowAndLate() {
        var options = PerfusionOptions()
        options.deconvolution = .blockCirculantSVD
        let run = PhantomRun(.strokeLeft, options: options)
        let grey = run.voxels(label: .greyMatter)
        var bias: [Double] = grey.map { Double(run.result.cbf.values[$0] / run.truth.cbf.values[$0]) - 1 }
        bias.sort()
        // Measured: grey-matter CBF -47 %, Tmax MAE 2.5 s, Tmax > 6 s volume 164 mL for a true 82 mL.
        #expect(bias[bias.count / 2] < -0.3, "bcSVD grey-matter CBF median bias \(bias[bias.count / 2])")
        #expect(run.tmaxMeanAbsoluteErrorS > 1.5)
        #expect(run.result.metrics.hypoperfusionVolumeML > 1.5 * run.truth.metrics.hypoperfusionVolumeML)
        #expect(run.result.metrics.settings.deconvolution == "bcsvd")
    }
}
