import Foundation
import Imaging

/// Assembles `PerfusionMetrics` and the AIF/VOF `CurveInfo` from the analysis' intermediate results.
struct MetricsContext {
    let series: PreparedSeries
    let baseline: BaselineInfo
    let vascular: VascularCurves
    let maps: AnalysisMaps
    let stroke: StrokeAnalysis
    let hemispheres: [Int8]
    let plane: MidSagittalPlane
    let cortex: [Bool]
    let lesionROI: [Bool]?
    let contralateralROI: [Bool]?
    let venous: VenousROIs
    let motionMaxMM: Double
    /// Robust noise SD of the smoothed tissue curves (`Quality.noiseSD`), HU.
    let noiseSD: Double
    let options: PerfusionOptions

    var grid: Grid { series.grid }

    func metrics() -> PerfusionMetrics {
        let ml = grid.voxelVolumeML
        let c = StrokeMetrics.volumes(maps: maps, stroke: stroke)
        func volume(_ n: Int) -> Double { Double(n) * ml }
        let hypoML = volume(c.hypo), coreML = volume(c.core)
        let mismatchRatio: Double? = c.core > 0 ? Double(c.hypo) / Double(c.core) : nil
        let target = StrokeMetrics.targetMismatch(coreML: coreML, hypoML: hypoML)
        let noHypo = "no voxel with Tmax > \(options.tmaxThresholdS) s"
        func ratio(_ a: Int, _ b: Int) -> Double? { b > 0 ? Double(a) / Double(b) : nil }

        // Conventional CBV index: lesion (Tmax > threshold) over the reference tissue.
        let referenceMask = referenceTissueMask()
        let conventional = StrokeMetrics.cbvRatio(cbv: maps.cbv, lesion: stroke.hypoperfusion, reference: referenceMask)
        let corrected = correctedCBVIndex()
        let venousMetrics = venousReport()
        let settings = PerfusionMetrics.Settings(
            hypoperfusionTmaxThresholdS: options.tmaxThresholdS, coreRelativeCBFThreshold: options.rcbfThreshold,
            tissueDensityGPerML: options.tissueDensityGPerML, hematocritFactorKH: options.hematocritFactorKH,
            pvtThresholdS: options.pvtThresholdS, deconvolution: options.deconvolution.rawValue,
            analysisBinning: series.analysis.factor, voxelVolumeML: series.analysis.input.voxelVolumeML,
            analysisVoxelVolumeML: ml)
        let cnr = noiseSD > 0 ? baseline.brainPeakDeltaHU / noiseSD : 0
        return PerfusionMetrics(
            settings: settings,
            brainVoxels: c.brain, brainVolumeML: volume(c.brain),
            tmaxOver4sVoxels: c.over4, tmaxOver6sVoxels: c.over6, tmaxOver8sVoxels: c.over8, tmaxOver10sVoxels: c.over10,
            tmaxOver4sVolumeML: volume(c.over4), tmaxOver6sVolumeML: volume(c.over6),
            tmaxOver8sVolumeML: volume(c.over8), tmaxOver10sVolumeML: volume(c.over10),
            hypoperfusionVoxels: c.hypo, hypoperfusionVolumeML: hypoML,
            coreVoxels: c.core, coreVolumeML: coreML, penumbraVoxels: c.penumbra, penumbraVolumeML: volume(c.penumbra),
            mismatchVolumeML: hypoML - coreML, mismatchRatio: mismatchRatio,
            mismatchRatioNullReason: mismatchRatio == nil ? "core volume is 0 mL (ratio undefined)" : nil,
            defuse3TargetMismatch: target.defuse3, extendIATargetMismatch: target.extendIA,
            prrPercent: ratio(c.penumbra, c.hypo).map { $0 * 100 }, prrNullReason: c.hypo == 0 ? noHypo : nil,
            hypoperfusionIntensityRatio: ratio(c.over10, c.over6), hypoperfusionIntensityRatioNullReason: c.over6 == 0 ? noHypo : nil,
            compensationIndex: ratio(c.over4, c.over6), compensationIndexNullReason: c.over6 == 0 ? noHypo : nil,
            cbvIndexConventional: conventional.0,
            cbvIndexConventionalNullReason: conventional.0 == nil ? (c.hypo == 0 ? noHypo : "no reference tissue") : nil,
            cbvIndexConventionalLesionVoxels: conventional.1, cbvIndexConventionalReferenceVoxels: conventional.2,
            cbvIndexConventionalLesionMeanCBVMLPer100g: conventional.3,
            cbvIndexCorrected: corrected.index, cbvIndexCorrectedNullReason: corrected.reason,
            cbvIndexCorrectedLesionCortexVoxels: corrected.lesion, cbvIndexCorrectedContralateralCortexVoxels: corrected.contra,
            cbvIndexCorrectedRegions: corrected.regions,
            reference: stroke.reference,
            affectedSide: stroke.affectedSide.map { $0 > 0 ? "left" : "right" },
            tmaxOver6sLeftVoxels: stroke.leftHypoperfused, tmaxOver6sRightVoxels: stroke.rightHypoperfused,
            midSagittalPlane: .init(pointLPS: plane.pointLPS.array, normalLPS: plane.normalLPS.array),
            venous: venousMetrics,
            motionMaxDisplacementMM: motionMaxMM, motionCorrectedFrames: series.correctedFrames,
            frames: series.nt, baselineFrames: baseline.frames.count, bolusArrivalS: baseline.bolusArrivalS,
            aifPartialVolumeScale: vascular.partialVolumeScale, contrastToNoiseRatio: cnr,
            smoothedNoiseSdHU: noiseSD,
            publishedCutoffs: StrokeMetrics.cutoffs(cbvIndex: corrected.index ?? conventional.0,
                                                    hir: ratio(c.over10, c.over6)),
            researchUseOnly: "Research use only. Not a medical device; not for diagnosis or treatment decisions.")
    }

    /// The reference tissue as a mask (the contra mask, or unaffected-hemisphere brain with Tmax < 4 s).
    func referenceTissueMask() -> [Bool] {
        let n = grid.voxelCount
        if let contralateralROI { return (0..<n).map { maps.brain[$0] && contralateralROI[$0] } }
        return (0..<n).map { v in
            guard maps.brain[v], maps.tmax[v] < Float(StrokeMetrics.referenceTmaxS) else { return false }
            if let s = stroke.affectedSide, hemispheres[v] != -s { return false }
            return true
        }
    }

    /// Corrected CBV index: cortex only (user ROIs when both are given).
    func correctedCBVIndex() -> (index: Double?, reason: String?, lesion: Int, contra: Int, regions: String) {
        let n = grid.voxelCount
        if let lesionROI, let contralateralROI {
            let lesion = (0..<n).map { maps.brain[$0] && lesionROI[$0] && stroke.hypoperfusion[$0] }
            let contra = (0..<n).map { maps.brain[$0] && contralateralROI[$0] }
            let r = StrokeMetrics.cbvRatio(cbv: maps.cbv, lesion: lesion, reference: contra)
            return (r.0, r.0 == nil ? "roi_mask has no voxel with Tmax > \(options.tmaxThresholdS) s, or contra_mask is empty" : nil,
                    r.1, r.2, "roi_mask (Tmax > \(options.tmaxThresholdS) s) / contra_mask")
        }
        let regions = "automatic: cortical grey matter in the lesion / its mirror image across the mid-sagittal plane"
        guard let side = stroke.affectedSide else { return (nil, "no affected side", 0, 0, regions) }
        var lesion = [Bool](repeating: false, count: n), contra = lesion
        for k in 0..<grid.nz {
            for j in 0..<grid.ny {
                for i in 0..<grid.nx {
                    let v = grid.index(i, j, k)
                    guard cortex[v] else { continue }
                    if hemispheres[v] == side {
                        lesion[v] = stroke.hypoperfusion[v]
                    } else if hemispheres[v] == -side,
                              let m = Symmetry.mirrorVoxel(i, j, k, plane: plane, grid: grid, coordinates: series.coordinates),
                              stroke.hypoperfusion[m] {
                        contra[v] = true
                    }
                }
            }
        }
        let r = StrokeMetrics.cbvRatio(cbv: maps.cbv, lesion: lesion, reference: contra)
        return (r.0, r.0 == nil ? "no cortical grey matter in the lesion or in its mirror image" : nil, r.1, r.2, regions)
    }

    func venousReport() -> PerfusionMetrics.Venous {
        func roi(_ voxels: [Int], _ tmax: [Double], _ name: String) -> PerfusionMetrics.VenousROI {
            guard !tmax.isEmpty else {
                return .init(voxels: 0, tmaxMedianS: nil, tmaxP90S: nil, nullReason: "\(name) not found in the slab")
            }
            return .init(voxels: voxels.count, tmaxMedianS: CurveMath.percentile(tmax, 50),
                         tmaxP90S: CurveMath.percentile(tmax, 90), nullReason: nil)
        }
        let sinus = roi(venous.sinus, venous.sinusTmaxS, "superior sagittal sinus")
        let torcula = roi(venous.torcula, venous.torculaTmaxS, "torcula")
        let medians = [("superior sagittal sinus", sinus.tmaxMedianS), ("torcula", torcula.tmaxMedianS)]
            .compactMap { name, m in m.map { (name, $0) } }
        let positive = medians.filter { $0.1 >= options.pvtThresholdS }.map { $0.0 }
        let call: String
        if medians.isEmpty {
            call = "no venous ROI found"
        } else if positive.isEmpty {
            call = "median Tmax below \(options.pvtThresholdS) s in " + medians.map { $0.0 }.joined(separator: " and ")
        } else {
            call = "median Tmax >= \(options.pvtThresholdS) s in " + positive.joined(separator: " and ")
        }
        return .init(superiorSagittalSinus: sinus, torcula: torcula, pvtThresholdS: options.pvtThresholdS,
                     prolongedVenousTransit: medians.isEmpty ? nil : !positive.isEmpty, call: call)
    }

    /// Hypoperfused volume in the first and last slices, mL.
    func edgeHypoperfusedML() -> Double {
        let slice = grid.nx * grid.ny
        var count = 0
        for k in Set([0, grid.nz - 1]) {
            for v in (k * slice)..<((k + 1) * slice) where stroke.hypoperfusion[v] { count += 1 }
        }
        return Double(count) * grid.voxelVolumeML
    }

    func aifInfo() -> CurveInfo {
        let times = series.frameTimes
        let model = times.map { vascular.aifModel.value(atS: $0) }
        return CurveInfo(frameTimesS: times, deltaHU: vascular.aifMeasured, modelDeltaHU: model,
                         voxels: vascular.aifVoxels.map(inputVoxel), partialVolumeScale: vascular.partialVolumeScale,
                         peakDeltaHU: model.max() ?? 0, timeToPeakS: vascular.aifModel.peakTimeS,
                         areaHUSeconds: vascular.aifMeasuredArea)
    }

    func vofInfo() -> CurveInfo {
        let times = series.frameTimes
        let model = vascular.vofModel.map { m in times.map { m.value(atS: $0) } } ?? []
        return CurveInfo(frameTimesS: times, deltaHU: vascular.vofMeasured, modelDeltaHU: model,
                         voxels: vascular.vofVoxels.map(inputVoxel), partialVolumeScale: 1,
                         peakDeltaHU: model.max() ?? 0, timeToPeakS: vascular.vofModel?.peakTimeS ?? 0,
                         areaHUSeconds: vascular.vofMeasuredArea)
    }

    private func inputVoxel(_ v: Int) -> [Int] {
        let g = grid
        return series.analysis.inputVoxel(v % g.nx, (v / g.nx) % g.ny, v / (g.nx * g.ny))
    }
}
