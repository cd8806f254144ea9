import Foundation
import Imaging
import Testing
@testable import Render

/// Renders every figure and page of a synthetic head once; with CTPERF_RENDER_SAMPLES=DIR the
/// PNGs are kept there for a person to look at.
struct SampleTests {
    @Test func everyPictureRendersAtItsDocumentedSize() throws {
        let head = SyntheticHead(nx: 160, ny: 160, nz: 18, spacing: (1.4, 1.4, 5))
        let t = (0..<30).map { Double($0) * 1.6 }
        let aif = t.map { x in x < 8 ? 0 : 380 * pow((x - 8) / 6, 2) * exp(-(x - 8) / 3) }
        let vof = t.map { x in x < 11 ? 0 : 520 * pow((x - 11) / 7, 2) * exp(-(x - 11) / 3.5) }
        let pictures: [(String, RGBImage, Int, Int)] = [
            ("curves", try Figures.curves([CurveSeries(label: "AIF (left MCA)", timesS: t, values: aif, colour: .arterial),
                                           CurveSeries(label: "VOF (sup. sagittal sinus)", timesS: t, values: vof, colour: .venous)],
                                          title: "Arterial input and venous output", xLabel: "Time (s)",
                                          yLabel: "Enhancement (HU)",
                                          markers: [CurveMarker(label: "baseline end", timeS: 6.4)]), 900, 600),
            ("tmax-mip", try Figures.mip(head.tmax, mask: head.brain, colormap: .tmax, range: 0...10,
                                         title: "Tmax — maximum-intensity projection", unit: "s"), 1024, 720),
            ("lesion-mip", try Figures.lesionOverlayMIP(ct: head.ct, core: head.core, penumbra: head.penumbra,
                                                        title: "Core and penumbra (projection)",
                                                        legend: ["Core (rCBF<30%): 19.2 mL", "Penumbra: 62.4 mL",
                                                                 "Tmax>6s: 81.6 mL", "Mismatch ratio: 4.3"]), 1024, 720),
            ("summary", try Pages.summary(ct: head.ct, core: head.core, penumbra: head.penumbra,
                                          lines: ["Core (rCBF<30%): 19.2 mL", "Tmax>6s: 81.6 mL", "Mismatch volume: 62.4 mL",
                                                  "Mismatch ratio: 4.3", "HIR: 0.41", "CBV index: 0.86", "PVT: negative",
                                                  "Affected side: right"],
                                          header: "CT perfusion summary\nStudy 2024-05-01 14:32   Acquisition 20 slices x 30 time points",
                                          footer: "Thresholds: core rCBF < 30% and Tmax > 6 s; hypoperfusion Tmax > 6 s. Reference: contralateral normal tissue. ctperf 0.3.0 (block-circulant SVD + parametric fit)."), 1024, 1024),
            ("cbf-page", try Pages.mapPage(head.cbf, brain: head.brain, colormap: .perfusion, range: 0...60,
                                           title: "CBF", unit: "mL/100g/min", footer: "ctperf 0.3.0 — CBF in mL/100g/min, window 0–60."), 1024, 1024),
            ("tmax-page", try Pages.mapPage(head.tmax, brain: nil, colormap: .tmax, range: 0...10,
                                            title: "Tmax", unit: "s", footer: "ctperf 0.3.0 — Tmax in s, window 0–10 (saturating)."), 1024, 1024),
        ]
        // A dense page: 30 slices (25 shown), three header lines, every metric line, long footer.
        let tall = SyntheticHead(nx: 256, ny: 256, nz: 30, spacing: (0.9, 0.9, 5))
        let dense = try Pages.summary(
            ct: tall.ct, core: tall.core, penumbra: tall.penumbra,
            lines: ["Core (rCBF<30% & Tmax>6s): 19.2 mL", "Hypoperfusion (Tmax>6s): 81.6 mL", "Tmax>4s: 112.0 mL",
                    "Tmax>8s: 55.3 mL", "Tmax>10s: 33.5 mL", "Mismatch volume: 62.4 mL", "Mismatch ratio: 4.3",
                    "PRR: 76%", "Target mismatch DEFUSE-3: yes", "Target mismatch EXTEND-IA: yes", "HIR: 0.41",
                    "Compensation index: 1.37", "CBV index: 0.86 (cut-off 0.8, Koneru 2025)",
                    "Corrected CBV index: 0.81", "PVT: negative (SSS Tmax 7.1 s)", "Affected side: right"],
            header: "CT perfusion summary\nStudy 2024-05-01 14:32\n30 slices x 5 mm, 30 time points over 49.4 s",
            footer: "Thresholds: core = rCBF < 30% of contralateral normal tissue and Tmax > 6 s; hypoperfusion = Tmax > 6 s; penumbra = hypoperfusion minus core. rho = 1.04 g/mL, kH = 0.73. Deconvolution: block-circulant SVD with parametric residue fit. ctperf 0.3.0 (commit 0123abc). Quality: no flags.")
        let odd = SyntheticHead(nx: 160, ny: 96, nz: 8, spacing: (0.8, 1.6, 5))
        let oddPage = try Pages.mapPage(odd.cbf, brain: odd.brain, colormap: .perfusion, range: 0...60, title: "CBF (non-square pixels)",
                                        unit: "mL/100g/min", footer: "0.8 x 1.6 mm pixels")
        for (name, img, w, h) in pictures + [("summary-dense", dense, 1024, 1024), ("cbf-nonsquare", oddPage, 1024, 1024)] {
            #expect(img.width == w && img.height == h, "\(name): \(img.width)x\(img.height)")
            #expect(img.rgb.count == w * h * 3)
            try Samples.save(img, name)
        }
    }
}
