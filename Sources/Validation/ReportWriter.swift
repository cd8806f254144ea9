import Foundation
import Perfusion
import Phantom

/// The text of docs/VALIDATION.md. Every number comes from `ValidationResults`; the only line
/// that differs between two runs of the same configuration is the "Generated" line (date, time,
/// runtime, git describe).
enum ReportWriter {
    typealias M = Markdown

    struct Provenance {
        var command: String
        var generatedLine: String
    }

    static func document(_ r: ValidationResults, provenance: Provenance) -> String {
        let c = r.configuration, g = c.grid
        var md = "# Validation against the digital phantom\n\n"
        md += "This file is written by a program; do not edit it. Regenerate it with:\n\n    \(provenance.command)\n\n"
        md += provenance.generatedLine + "\n\n"
        md += "Configuration: **\(c.name)**. Everything below is seeded and deterministic: the same command gives the same numbers on any machine (only the line above changes). **Research use only; ctperf is not a medical device.**\n\n"
        md += summary(r)
        md += methods(r)

        md += "## Part A – Kudo-style grid: the deconvolution on its own\n\n"
        md += "\(g.truths.count) tiles (CBF \(list(g.cbfsMLPer100gPerMin)) mL/100g/min × MTT \(list(g.mttsS)) s × delay \(list(g.delaysS)) s), \(g.voxelsPerTile) curves each, \(M.number(g.noiseHU, 0)) HU noise per curve, \(g.frames) frames every \(M.number(g.intervalS, 1)) s. Agreement of the tile means with the truth (r, bias, least-squares line estimate = slope × true + intercept) and precision (mean within-tile SD and CV):\n\n"
        md += ReportTables.gridAgreement(r) + "\n"
        md += reading(r)
        md += "By true MTT (mean over the tiles with that MTT; bias % of CBF, CBV and MTT, Tmax bias in seconds):\n\n"
        md += ReportTables.gridBreakdown(r, by: \.mttS, name: "true MTT (s)") + "\n"
        md += "By true delay (the delay-insensitivity claim: a delay-insensitive method keeps CBF flat across rows):\n\n"
        md += ReportTables.gridBreakdown(r, by: \.delayS, name: "true delay (s)") + "\n"
        for p in PerfusionParameter.allCases {
            md += M.image("\(p.rawValue) estimated vs true, parametric", "grid_\(p.rawValue.lowercased()).png")
        }
        md += "\nThe same grid by block-circulant SVD (the textbook method, `--deconvolution bcsvd`):\n\n"
        md += M.image("CBF estimated vs true, bcSVD", "grid_svd_cbf.png")
        md += M.image("Tmax estimated vs true, bcSVD", "grid_svd_tmax.png")
        if let low = r.gridNoise.first(where: { $0.noiseHU > 0 && $0.noiseHU < g.noiseHU }) {
            md += "\nParametric CBF at \(M.number(low.noiseHU, 0)) HU per curve:\n\n" + M.image("CBF estimated vs true at low noise", "grid_cbf_low_noise.png")
        }
        md += "\nCBF bias against delay by true MTT (at the same low noise when the sweep has it):\n\n" + M.image("CBF bias vs delay", "grid_cbf_bias_vs_delay.png") + "\n"

        md += "## Part B – lesion volumes, full pipeline\n\n"
        md += "Every lesion scenario (\(c.lesionScenarios.map(\.rawValue).joined(separator: ", "))) with noise seeds \(c.seeds.map(String.init).joined(separator: ", ")): \(r.lesionCases.count) studies of \(c.matrix) × \(c.matrix) × 20 slices, \(c.frames(intervalS: c.baseIntervalS)) frames every \(M.number(c.baseIntervalS, 1)) s, \(M.number(c.baseNoiseHU, 0)) HU noise, analysed by `PerfusionAnalysis.run` with default options exactly as `ctperf analyze` does (motion correction, mask, AIF/VOF search, adaptive smoothing, parametric fit, reference tissue, thresholds). Bland–Altman agreement with the truth's volumes (difference = estimated − true):\n\n"
        md += ReportTables.blandAltman(r.lesionCases) + "\n"
        md += "Every case (mL):\n\n" + ReportTables.cases(r.lesionCases) + "\n"
        md += "Healthy phantom (no lesion; every true volume is 0 mL): false-positive volumes, mL:\n\n"
        md += ReportTables.healthy(r.healthyCases) + "\n"
        for v in [LesionVolume.core, .hypoperfusion, .penumbra] {
            md += M.image("Bland–Altman \(v.rawValue)", "lesions_\(ValidationFigures.fileStem(v))_bland_altman.png")
            md += M.image("\(v.rawValue) estimated vs true", "lesions_\(ValidationFigures.fileStem(v))_scatter.png")
        }
        md += "\n## Part C – noise and sampling sensitivity\n\n"
        md += "Grid (parametric, one curve per voxel without spatial smoothing) at other noise levels:\n\n"
        md += ReportTables.gridNoise(r) + "\n" + M.image("grid bias and precision vs noise", "grid_noise.png") + "\n"
        md += "Full pipeline on \(c.sensitivityScenario.rawValue) (seed 1) at other noise levels (\(M.number(c.baseIntervalS, 1)) s sampling) and other sampling intervals (\(M.number(c.baseNoiseHU, 0)) HU; frames = ⌊\(M.number(c.scanDurationS, 0)) s / interval⌋). GM = normal cortical grey matter in both brain masks (truth CBF \(M.number(TissuePerfusion.normalGreyMatter.cbfMLPer100gPerMin, 0)), MTT \(M.number(TissuePerfusion.normalGreyMatter.mttS, 1)) s, Tmax \(M.number(TissuePerfusion.normalGreyMatter.delayS, 1)) s); bias = mean estimate / truth − 1; brain Tmax MAE over all brain tissue:\n\n"
        md += "Noise:\n\n" + ReportTables.sensitivity(r.noiseRuns) + "\n"
        md += "Sampling interval:\n\n" + ReportTables.sensitivity(r.intervalRuns) + "\n"
        md += M.image("errors vs noise", "sensitivity_noise.png") + M.image("errors vs sampling interval", "sensitivity_interval.png") + "\n"
        md += limits(r)
        md += "## Reference\n\nKudo K, Christensen S, Sasaki M, Østergaard L, Shirato H, Ogasawara K, Wintermark M, Warach S. Accuracy and reliability assessment of CT and MR perfusion analysis software using a digital phantom. Radiology 2013;267(1):201–211. doi:10.1148/radiol.12112618\n\n"
        md += "Bland JM, Altman DG. Statistical methods for assessing agreement between two methods of clinical measurement. Lancet 1986;1(8476):307–310.\n\n"
        md += "Wu O, Østergaard L, Weisskoff RM, et al. Tracer arrival timing-insensitive technique for estimating flow in MR perfusion-weighted imaging using singular value decomposition with a block-circulant deconvolution matrix. Magn Reson Med 2003;50:164–174.\n"
        return md
    }

    /// How to read Part A: the direction of the per-curve biases, in words computed from the numbers.
    static func reading(_ r: ValidationResults) -> String {
        let g = r.configuration.grid
        let p = ParameterSummary(.cbf, tiles: r.gridParametric), s = ParameterSummary(.cbf, tiles: r.gridSVD)
        func direction(_ x: Double) -> String { x > 0 ? "high" : "low" }
        var md = "Reading this table: each curve here is fitted on its own at \(M.number(g.noiseHU, 0)) HU, without the spatial smoothing the pipeline applies first. "
        md += "Parametric CBF tile means read \(direction(p.agreement.meanBiasPercent)) (\(M.signed(p.agreement.meanBiasPercent)) %) with a within-tile CV of \(M.number(p.meanWithinTileCVPercent)) %: "
        md += "with so much noise a short MTT with a large amplitude fits about as well as the true residue, and those outliers pull the means. "
        md += "Block-circulant SVD reads CBF \(direction(s.agreement.meanBiasPercent)) (\(M.signed(s.agreement.meanBiasPercent)) %): truncation regularises, at the price of a systematic bias. "
        if let low = r.gridNoise.first(where: { $0.noiseHU > 0 && $0.noiseHU < g.noiseHU }) {
            let l = ParameterSummary(.cbf, tiles: low.tiles)
            md += "At \(M.number(low.noiseHU, 0)) HU, about what the fit sees after the pipeline's smoothing, parametric CBF bias is \(M.signed(l.agreement.meanBiasPercent)) % with r = \(M.number(l.agreement.pearsonR, 3)) (Part C). "
        }
        return md + "Part B measures the pipeline as it runs.\n\n"
    }

    /// The true Tmax (s) of the phantom's lesion regions, from `TissuePerfusion`.
    static func thresholdNeighbours() -> String {
        let delays = PerfusionRegion.allCases.compactMap { TissuePerfusion.modifier($0)?.delayS }
        return list(Array(Set(delays)).sorted())
    }

    static func list(_ x: [Double]) -> String { x.map { String(format: "%g", $0) }.joined(separator: ", ") }

    /// The headline: r and bias per map for both methods, and the core / Tmax > 6 s agreement.
    static func summary(_ r: ValidationResults) -> String {
        var md = "## Summary\n\n"
        var rows: [[String]] = []
        let g = r.configuration.grid
        // The grid at the lowest non-zero sweep noise: about what the fit sees after the pipeline's smoothing.
        let low = r.gridNoise.filter { $0.noiseHU > 0 && $0.noiseHU < g.noiseHU }.first
        for p in PerfusionParameter.allCases {
            let a = ParameterSummary(p, tiles: r.gridParametric).agreement, b = ParameterSummary(p, tiles: r.gridSVD).agreement
            var row = ["\(p.rawValue) (\(p.unit))", M.number(a.pearsonR, 3), M.signed(a.meanBias, 2), M.number(b.pearsonR, 3),
                       M.signed(b.meanBias, 2)]
            if let low {
                let l = ParameterSummary(p, tiles: low.tiles).agreement
                row += [M.number(l.pearsonR, 3), M.signed(l.meanBias, 2)]
            }
            rows.append(row)
        }
        md += "Part A grid, tile means vs truth, \(M.number(g.noiseHU, 0)) HU per curve without smoothing"
        md += low.map { " (last two columns: parametric at \(M.number($0.noiseHU, 0)) HU, about the noise the fit sees after the pipeline's smoothing)" } ?? ""
        md += ":\n\n"
        var headers = ["map", "parametric r", "parametric bias", "bcSVD r", "bcSVD bias"]
        if let low { headers += ["parametric r, \(M.number(low.noiseHU, 0)) HU", "parametric bias, \(M.number(low.noiseHU, 0)) HU"] }
        md += M.table(headers, rows) + "\n"
        let volumes = [LesionVolume.core, .hypoperfusion].map { v -> [String] in
            let ba = BlandAltman(truth: r.lesionCases.map { v.truth($0.truth) }, estimate: r.lesionCases.map { v.estimate($0.estimated) })
            return [v.rawValue, "\(ba.count)", M.signed(ba.bias), M.signed(ba.lowerLimit) + " to " + M.signed(ba.upperLimit)]
        }
        md += "Part B lesion volumes, full pipeline (Bland–Altman, mL):\n\n"
        md += M.table(["volume", "cases", "bias", "95% limits of agreement"], volumes) + "\n"
        return md
    }

    static func methods(_ r: ValidationResults) -> String {
        let g = r.configuration.grid
        let rho = PerfusionConstants.tissueDensityGPerML, kH = PerfusionConstants.hematocritFactorKH
        let aif = GammaVariateBolus.arterialInput
        return """
        ## Methods

        **Phantom physics.** Both parts use the phantom of `ctperf phantom` (Sources/Phantom). The arterial input is a gamma variate (arrival \(M.number(aif.arrivalS, 1)) s after the first frame, peak \(M.number(aif.peakDeltaHU, 0)) HU at \(M.number(aif.peakTimeS, 1)) s, no recirculation). A tissue curve is C(t) = (ρ/kH) · CBF/6000 · (AIF ⊗ exp(−t/MTT))(t − delay) with ρ = \(rho) g/mL and kH = \(kH), so CBV = CBF · MTT / 60 and the true Tmax is the delay. Curves are computed on a 0.05 s grid (exact for a piecewise-linear AIF) by the phantom's own `BolusModel` and sampled at the frame times.

        **Part A grid.** In the spirit of Kudo et al. (2013): tiles of one true (CBF, MTT, delay) each, \(g.voxelsPerTile) independent curves per tile. Kudo's phantom has CBF 2.5–87.5 mL/100g/min, CBV 1–5 mL/100g, MTT 3.4–24 s and seven delays from 0 to 3 s, more than one residue shape (its figures show a box-shaped one), embedded in brain images; we do not reuse their data. Our grid crosses CBF and MTT independently (so CBV = CBF · MTT / 60 spans \(M.number(g.truths.map(\.cbvMLPer100g).min() ?? .nan, 2))–\(M.number(g.truths.map(\.cbvMLPer100g).max() ?? .nan, 1)) mL/100g), reaches shorter MTTs (2 s) and much longer delays (up to \(M.number(g.delaysS.max() ?? .nan, 0)) s, as behind an occlusion), and uses only the exponential residue.

        **Noise.** Gaussian, seeded (`SeededRandom`, SplitMix64 + Box–Muller), SD \(M.number(g.noiseHU, 0)) HU on every tissue sample, the phantom's per-voxel noise. In the full pipeline that noise is reduced by adaptive spatial smoothing (to about 0.075 × the median brain peak enhancement, roughly 1–2 HU) before the fit; the grid's curves are fitted without smoothing (there is no neighbourhood), so Part A at \(M.number(g.noiseHU, 0)) HU is a harsher per-curve test than a phantom voxel after smoothing; Part C gives the grid at \(r.gridNoise.map { M.number($0.noiseHU, 0) }.joined(separator: ", ")) HU. The AIF gets noise of SD \(M.number(g.aifNoiseHU, 2)) HU (the voxel noise / √8: the analysis averages up to 8 arterial voxels), one realisation per grid.

        **Estimator.** `CurveDeconvolution.estimate` (Sources/Perfusion/CurveDeconvolution.swift) calls the same types as the maps: the default *parametric* method fits a gamma variate to the sampled AIF (`GammaVariate.fit`), builds the `ResidueTable` of the delayed exponential residue (all frame weights 1) and fits every curve with `ParametricFit` (amplitude and baseline in closed form, global search over MTT and delay); `Maps.fromFit` gives CBF = (kH/ρ) · A · 6000, MTT, CBV = CBF · MTT / 60, Tmax = delay. *bcSVD* is block-circulant SVD with oscillation-index truncation (Wu et al. 2003) through `Maps.fromSVD`: CBF = (kH/ρ) · max k · 6000, CBV = (kH/ρ) · ∫C / ∫AIF · 100, MTT = 60 · CBV / CBF, Tmax = argmax k. Part B and C run the whole `PerfusionAnalysis` on rendered studies.

        **Statistics.** For n pairs (true x, estimate y): bias = mean(y − x); bias % = mean((y − x)/x) · 100 (over x ≠ 0; not given for Tmax, whose truth includes 0 s); bias SD = sample SD (n − 1) of y − x; Pearson r = Sxy / √(Sxx · Syy); least-squares line y = slope · x + intercept with slope = Sxy / Sxx (S = centred sums). Precision: the sample SD of the estimates within a tile, averaged over tiles (CV = SD / truth). Bland–Altman (Bland & Altman 1986): difference d = estimated − true volume; bias = mean d; limits of agreement = bias ± 1.96 · SD(d); plotted against the mean of true and estimated.


        """
    }

    static func limits(_ r: ValidationResults) -> String {
        """
        ## Limits

        - **A best case for the fit.** The phantom is generated by the model the parametric method assumes: an exponential residue, an AIF that is exactly a gamma variate, no recirculation, no dispersion between the measured AIF and the tissue, Gaussian white noise. Part A in particular measures how well the fit recovers its own model under noise and sampling, not how well the model describes a brain. Real tissue has other residue shapes (Kudo's phantom includes a box-shaped residue as well as the exponential), dispersion, recirculation, beam hardening and correlated noise; expect larger errors there.
        - **Kudo et al. compared** 13 CT and 13 MR programs on a phantom with more than one residue shape and delays of 0–3 s; this report tests one program on its own phantom. The numbers are not comparable with that paper's tables, only the design is borrowed.
        - **One anatomy.** Part B has \(Set(r.lesionCases.map(\.scenario)).count) lesion scenarios on one head; the seeds vary only the noise. Bland–Altman limits from \(r.lesionCases.count) cases of one anatomy describe repeatability more than agreement across patients.
        - **Thresholds near the truth.** The phantom's lesion regions have true Tmax \(thresholdNeighbours()) s, so the Tmax > 4, 8 and 10 s volumes move with Tmax errors well below a second (Part B's table shows their systematic differences); the Tmax > 6 s and core thresholds have more room.
        - **Matrix.** The anatomical studies are \(r.configuration.matrix) × \(r.configuration.matrix) × 20 slices (the phantom's default matrix); PerfusionTests' accuracy tests use 128 × 128.
        - **Research use only.** ctperf is not a medical device; this report is not a clinical validation.


        """
    }
}
