import DICOM
import Foundation
import Imaging
import Perfusion
import Render

/// The files of one result folder (DESIGN section 6; names of the seed tool kept).
enum ResultFiles {
    /// Threshold-bearing mask names: the defaults give the seed tool's names
    /// (hypoperf_mask_tmax6, core_mask_rcbf30).
    static func hypoperfusionMaskName(_ o: PerfusionOptions) -> String { "hypoperf_mask_tmax\(compact(o.tmaxThresholdS)).nii.gz" }
    static func coreMaskName(_ o: PerfusionOptions) -> String { "core_mask_rcbf\(compact(o.rcbfThreshold * 100)).nii.gz" }

    private static func compact(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(format: "%g", v).replacingOccurrences(of: ".", with: "p")
    }

    /// NIfTI maps and masks, metrics.json, metrics.csv. Returns the names written.
    static func writeData(_ c: ResultContext, into out: StagedDirectory, progress: (Double) -> Void) throws -> [String] {
        let r = c.result
        let o = c.request.options
        let maps: [(String, Volume3D, String)] = [
            ("cbf.nii.gz", r.cbf, "CBF mL/100g/min"), ("cbv.nii.gz", r.cbv, "CBV mL/100g"), ("mtt.nii.gz", r.mtt, "MTT s"),
            ("tmax.nii.gz", r.tmax, "Tmax s"), ("ttp.nii.gz", r.ttp, "TTP s"), ("rcbf.nii.gz", r.rcbf, "rCBF ratio"),
            ("rcbv.nii.gz", r.rcbv, "rCBV ratio"),
        ]
        let masks: [(String, Volume3D, String)] = [
            ("brain_mask.nii.gz", r.brainMask, "brain mask"),
            (hypoperfusionMaskName(o), r.hypoperfusionMask, "Tmax > \(o.tmaxThresholdS) s"),
            (coreMaskName(o), r.coreMask, "rCBF < \(o.rcbfThreshold) and Tmax > \(o.tmaxThresholdS) s"),
            ("penumbra_mask.nii.gz", r.penumbraMask, "hypoperfusion minus core"),
            ("pvt_sinus_roi.nii.gz", r.sinusROI, "superior sagittal sinus ROI"),
            ("pvt_torcula_roi.nii.gz", r.torculaROI, "torcula ROI"),
        ]
        var outputs: [String: String] = [:]
        let all = maps.map { ($0, $1, $2, NIfTIDataType.float32) } + masks.map { ($0, $1, $2, NIfTIDataType.uint8) }
        // Compression dominates: write the files on all cores.
        let failures: [String?] = parallelMap(all.count, threads: c.request.threads) { n in
            let (name, volume, description, type) = all[n]
            do {
                try NIfTI.write(volume, to: out.path(name), dataType: type, description: "ctperf \(description)")
                return nil
            } catch {
                return "\(error)"
            }
        }
        if let failure = failures.compactMap({ $0 }).first { throw OutputsError(.io, failure) }
        for (name, _, description, _) in all { outputs[name] = description }
        progress(Double(all.count) / Double(all.count + 1))
        let written = all.map(\.0) + ["metrics.json", "metrics.csv"]
        outputs["metrics.csv"] = "one header row, one data row"
        for name in ["qa_aif_vof.png", "qa_tmax_mip.png", "qa_core_penumbra_mip.png"] { outputs[name] = "QA figure" }
        if c.request.writeDICOM { outputs["dicom/"] = "Secondary Capture images and TID 1500 SR" }
        try AtomicFile.write(try MetricsDocument(c, outputs: outputs).json(), to: out.path("metrics.json"))
        try AtomicFile.write(Data(FlatCSV.make(MetricsCSVRow(c)).utf8), to: out.path("metrics.csv"))
        progress(1)
        return written
    }

    /// QA PNGs: AIF/VOF curves, Tmax MIP, core/penumbra MIP over the time-averaged CT.
    static func writeFigures(_ c: ResultContext, into out: StagedDirectory, progress: (Double) -> Void) throws -> [String] {
        let r = c.result
        let m = r.metrics
        let curves = try Figures.curves([
            CurveSeries(label: "AIF measured (\(r.aif.voxels.count) voxels)", timesS: r.aif.frameTimesS, values: r.aif.deltaHU, colour: .arterial),
            CurveSeries(label: String(format: "AIF used (x%.2f partial-volume scale)", r.aif.partialVolumeScale),
                        timesS: r.aif.frameTimesS, values: r.aif.modelDeltaHU, colour: RGBColour(0.95, 0.55, 0.1)),
            CurveSeries(label: "VOF measured (\(r.vof.voxels.count) voxels)", timesS: r.vof.frameTimesS, values: r.vof.deltaHU, colour: .venous),
        ], title: "Arterial input and venous output", xLabel: "Time (s)", yLabel: "Enhancement (HU)",
           markers: [CurveMarker(label: "bolus arrival", timeS: m.bolusArrivalS)])
        try curves.writePNG(to: out.path("qa_aif_vof.png"))
        progress(0.33)
        let tmax = try Figures.mip(r.tmax, mask: r.brainMask, colormap: .tmax, range: 0...12,
                                   title: "Tmax (maximum intensity projection)", unit: "s")
        try tmax.writePNG(to: out.path("qa_tmax_mip.png"))
        progress(0.66)
        let lesion = try Figures.lesionOverlayMIP(
            ct: r.meanCT, core: r.coreMask, penumbra: r.penumbraMask, title: "Core and penumbra over the time-averaged CT",
            legend: [String(format: "Core %.1f mL", m.coreVolumeML), String(format: "Penumbra %.1f mL", m.penumbraVolumeML)])
        try lesion.writePNG(to: out.path("qa_core_penumbra_mip.png"))
        progress(1)
        return ["qa_aif_vof.png", "qa_tmax_mip.png", "qa_core_penumbra_mip.png"]
    }

    /// OUT/dicom: the summary page and four colour maps as Secondary Capture, and the SR.
    static func writeDICOM(_ c: ResultContext, into out: StagedDirectory, progress: (Double) -> Void) throws -> [String] {
        let dir = out.path("dicom")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let r = c.result
        let content = ReportContent(c)
        let scSeries = DerivedSeries(copied: c.loaded.copied, sources: c.loaded.sourceInstances, seriesInstanceUID: UID.generate(),
                                     seriesNumber: 9901, seriesDescription: "ctperf perfusion maps (research use)",
                                     softwareVersion: "ctperf \(CtperfVersion.string)", contentTime: Date().timeIntervalSince1970)
        var pages: [(String, RGBImage)] = [
            ("SC_01_summary.dcm", try Pages.summary(ct: r.meanCT, core: r.coreMask, penumbra: r.penumbraMask,
                                                    lines: content.summaryLines, header: content.header, footer: content.footer)),
        ]
        let maps: [(String, Volume3D, Colormap, ClosedRange<Double>, String, String)] = [
            ("SC_02_cbf.dcm", r.cbf, .perfusion, 0...80, "CBF", "mL/100g/min"),
            ("SC_03_cbv.dcm", r.cbv, .perfusion, 0...6, "CBV", "mL/100g"),
            ("SC_04_mtt.dcm", r.mtt, .perfusion, 0...12, "MTT", "s"),
            ("SC_05_tmax.dcm", r.tmax, .tmax, 0...12, "Tmax", "s"),
        ]
        for (name, map, colormap, range, title, unit) in maps {
            pages.append((name, try Pages.mapPage(map, brain: r.brainMask, colormap: colormap, range: range,
                                                  title: title, unit: unit, footer: content.footer)))
        }
        var files: [String] = []
        for (n, (name, page)) in pages.enumerated() {
            try SecondaryCaptureWriter.write(rgb: page.rgb, rows: page.height, columns: page.width, instanceNumber: n + 1,
                                             series: scSeries, imageComments: "ctperf \(CtperfVersion.string): research use only",
                                             to: dir + "/" + name)
            files.append("dicom/" + name)
            progress(Double(n + 1) / Double(pages.count + 1))
        }
        var srSeries = scSeries
        srSeries.seriesInstanceUID = UID.generate()
        srSeries.seriesNumber = 9902
        srSeries.seriesDescription = "ctperf perfusion measurements (research use)"
        try MeasurementReportWriter.write(groups: content.measurementGroups, title: nil, series: srSeries,
                                          observer: "ctperf", instanceNumber: 1, to: dir + "/SR_01_measurements.dcm")
        files.append("dicom/SR_01_measurements.dcm")
        progress(1)
        return files
    }
}
