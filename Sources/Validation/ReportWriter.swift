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
        let c = r.configuration, g = r.grid
        var md = "# Validation against the digital phantom\n\n"
        md += "This file is written by a program; do not edit it. Regenerate it with:\n\n    \(provenance.command)\n\n"
        md += provenance.generatedLine + "\n\n"
        md += "Configuration: **\(c.name)**. Everything below is seeded and deterministic: the same command gives the same numbers on any machine (only the line above changes). **Research use only; ctperf is not a medical device.**\n\n"
        md += summary(r)
        md += methods(r)

        md += "## Part A – Kudo-style grid: the deconvolution on its own\n\n"
        md += "\(g.truths.count) tiles (CBF \(list(g.cbfsMLPer100gPerMin)) mL/100g/min × MTT \(list(g.mttsS)) s × delay \(list(g.delaysS)) s), \(g.voxelsPerTile) curves each, \(M.number(g.noiseHU, 1)) HU noise per curve (the noise the pipeline's fit sees, measured; see Methods), \(g.frames) frames every \(M.number(g.intervalS, 1)) s. Agreement of the tile means with the truth (r, bias, least-squares line estimate = slope × true + intercept) and precision (mean within-tile SD and CV):\n\n"
        md += ReportTables.gridAgreement(r) + "\n"
        md += reading(r)
        md += "By true MTT (mean over the tiles with that MTT; bias % of CBF, CBV and MTT, Tmax bias in seconds):\n\n"
        md += ReportTables.gridBreakdown(r, by: \.mttS, name: "true MTT (s)") + "\n"
        md += "By true delay (the delay-insensitivity claim: a delay-insensitive method keeps CBF flat across rows):\n\n"
        md += ReportTables.gridBreakdown(r, by: \.delayS, name: "true delay (s)") + "\n"
        for p in PerfusionParameter.allCases {
            md += M.image("\(p.rawValue) estimated vs true, parametric, \(M.number(g.noiseHU, 1)) HU", "grid_\(p.rawValue.lowercased()).png")
        }
        md += "\nThe same grid by block-circulant SVD (the textbook method, `--deconvolution bcsvd`):\n\n"
        md += M.image("CBF estimated vs true, bcSVD", "grid_svd_cbf.png")
        md += M.image("Tmax estimated vs true, bcSVD", "grid_svd_tmax.png")
        if let stress = r.gridUnsmoothed {
            md += "\nStress case: parametric CBF at \(M.number(stress.noiseHU, 0)) HU per curve, the per-voxel noise without the pipeline's smoothing:\n\n"
            md += M.image("CBF estimated vs true at \(M.number(stress.noiseHU, 0)) HU unsmoothed", ValidationFigures.stressFileName(r))
        }
        md += "\nParametric CBF bias against delay by true MTT, at the fit's noise (\(M.number(g.noiseHU, 1)) HU):\n\n" + M.image("CBF bias vs delay", "grid_cbf_bias_vs_delay.png") + "\n"

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
        md += "Grid (parametric, each curve fitted on its own) across noise levels, from none through Part A's measured fit noise to the unsmoothed per-voxel noise (the stress case); the column \"case\" marks both:\n\n"
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

    /// How to read Part A: the primary case and the stress case, in words computed from the numbers.
    static func reading(_ r: ValidationResults) -> String {
        let g = r.grid
        let cbf = ParameterSummary(.cbf, tiles: r.gridParametric), svd = ParameterSummary(.cbf, tiles: r.gridSVD)
        let mtt = ParameterSummary(.mtt, tiles: r.gridParametric), tmax = ParameterSummary(.tmax, tiles: r.gridParametric)
        func direction(_ x: Double) -> String { x > 0 ? "high" : "low" }
        var md = "Reading this table: each curve is fitted on its own at \(M.number(g.noiseHU, 1)) HU, the noise the pipeline's fit sees after its smoothing (Methods). "
        md += "Parametric CBF tile means follow the truth with r = \(M.number(cbf.agreement.pearsonR, 3)) and read \(direction(cbf.agreement.meanBiasPercent)) by \(M.signed(cbf.agreement.meanBiasPercent)) % on average, with a within-tile CV of \(M.number(cbf.meanWithinTileCVPercent)) %; "
        md += "MTT reads \(M.signed(mtt.agreement.meanBiasPercent)) % and Tmax \(M.signed(tmax.agreement.meanBias, 2)) s. "
        if let worst = worstCBFBias(r.gridParametric, mtts: g.mttsS) {
            md += "The CBF bias is largest at true MTT \(M.number(worst.mttS, 0)) s (\(M.signed(worst.biasPercent)) %, table below). "
        }
        md += "Block-circulant SVD reads CBF \(direction(svd.agreement.meanBiasPercent)) (\(M.signed(svd.agreement.meanBiasPercent)) %, r = \(M.number(svd.agreement.pearsonR, 3))"
        md += svd.agreement.meanBiasPercent < 0 ? "): truncation regularises, at the price of a systematic underestimate. " : "). "
        if let stress = r.gridUnsmoothed {
            let s = ParameterSummary(.cbf, tiles: stress.tiles)
            md += "Stress case: at \(M.number(stress.noiseHU, 0)) HU, the per-voxel noise the smoothing removes, parametric CBF reads \(M.signed(s.agreement.meanBiasPercent)) % with r = \(M.number(s.agreement.pearsonR, 3)) and a within-tile CV of \(M.number(s.meanWithinTileCVPercent)) %: "
            md += "with so much noise a short MTT with a large amplitude fits a curve about as well as the true residue, and those outliers pull the tile means up (Part C). "
        }
        return md + "Part B measures the pipeline as it runs.\n\n"
    }

    /// The true MTT (s) whose tiles have the largest mean |CBF bias| (%), and that bias.
    static func worstCBFBias(_ tiles: [GridTile], mtts: [Double]) -> (mttS: Double, biasPercent: Double)? {
        mtts.map { mtt -> (mttS: Double, biasPercent: Double) in
            let t = tiles.filter { $0.truth.mttS == mtt }
            return (mtt, Agreement(truth: t.map { $0.truth.cbfMLPer100gPerMin }, estimate: t.map { $0.mean.cbfMLPer100gPerMin }).meanBiasPercent)
        }.max { abs($0.biasPercent) < abs($1.biasPercent) }
    }

    /// The true Tmax (s) of the phantom's lesion regions, from `TissuePerfusion`.
    static func thresholdNeighbours() -> String {
        let delays = PerfusionRegion.allCases.compactMap { TissuePerfusion.modifier($0)?.delayS }
        return list(Array(Set(delays)).sorted())
    }

    static func list(_ x: [Double]) -> String { x.map { String(format: "%g", $0) }.joined(separator: ", ") }

    /// The headline: r and bias per map for both methods at the fit's measured noise, the
    /// unsmoothed stress case, and the core / Tmax > 6 s agreement.
    static func summary(_ r: ValidationResults) -> String {
        var md = "## Summary\n\n"
        var rows: [[String]] = []
        let stress = r.gridUnsmoothed
        for p in PerfusionParameter.allCases {
            let a = ParameterSummary(p, tiles: r.gridParametric).agreement, b = ParameterSummary(p, tiles: r.gridSVD).agreement
            var row = ["\(p.rawValue) (\(p.unit))", M.number(a.pearsonR, 3), M.signed(a.meanBias, 2), M.number(b.pearsonR, 3),
                       M.signed(b.meanBias, 2)]
            if let stress {
                let s = ParameterSummary(p, tiles: stress.tiles).agreement
                row += [M.number(s.pearsonR, 3), M.signed(s.meanBias, 2)]
            }
            rows.append(row)
        }
        md += "Part A grid at the fit's noise, \(M.number(r.grid.noiseHU, 1)) HU (\(fitNoiseSource(r))), tile means vs truth"
        md += stress.map { "; the last two columns are parametric at \(M.number($0.noiseHU, 0)) HU unsmoothed, a stress case" } ?? ""
        md += ":\n\n"
        var headers = ["map", "parametric r", "parametric bias", "bcSVD r", "bcSVD bias"]
        if let stress {
            let at = "\(M.number(stress.noiseHU, 0)) HU unsmoothed (stress)"
            headers += ["parametric r at \(at)", "parametric bias at \(at)"]
        }
        md += M.table(headers, rows) + "\n"
        let volumes = [LesionVolume.core, .hypoperfusion].map { v -> [String] in
            let ba = BlandAltman(truth: r.lesionCases.map { v.truth($0.truth) }, estimate: r.lesionCases.map { v.estimate($0.estimated) })
            return [v.rawValue, "\(ba.count)", M.signed(ba.bias), M.signed(ba.lowerLimit) + " to " + M.signed(ba.upperLimit)]
        }
        md += "Part B lesion volumes, full pipeline (Bland–Altman, mL):\n\n"
        md += M.table(["volume", "cases", "bias", "95% limits of agreement"], volumes) + "\n"
        return md
    }

    /// "measured by the pipeline: `smoothed_noise_sd_hu` of <scenario> seed <n> at <noise> HU per voxel".
    static func fitNoiseSource(_ r: ValidationResults) -> String {
        let s = r.fitNoise.study
        return "measured by the pipeline: `smoothed_noise_sd_hu` of \(s.scenario.rawValue) seed \(s.seed) at \(M.number(s.noiseHU, 0)) HU per voxel"
    }

    static func methods(_ r: ValidationResults) -> String {
        let g = r.grid, c = r.configuration, s = r.fitNoise.study
        let rho = PerfusionConstants.tissueDensityGPerML, kH = PerfusionConstants.hematocritFactorKH
        let aif = GammaVariateBolus.arterialInput
        return """
        ## Methods

        **Phantom physics.** Both parts use the phantom of `ctperf phantom` (Sources/Phantom). The arterial input is a gamma variate (arrival \(M.number(aif.arrivalS, 1)) s after the first frame, peak \(M.number(aif.peakDeltaHU, 0)) HU at \(M.number(aif.peakTimeS, 1)) s, no recirculation). A tissue curve is C(t) = (ρ/kH) · CBF/6000 · (AIF ⊗ exp(−t/MTT))(t − delay) with ρ = \(rho) g/mL and kH = \(kH), so CBV = CBF · MTT / 60 and the true Tmax is the delay. Curves are computed on a 0.05 s grid (exact for a piecewise-linear AIF) by the phantom's own `BolusModel` and sampled at the frame times.

        **Part A grid.** In the spirit of Kudo et al. (2013): tiles of one true (CBF, MTT, delay) each, \(g.voxelsPerTile) independent curves per tile. Kudo's phantom has CBF 2.5–87.5 mL/100g/min, CBV 1–5 mL/100g, MTT 3.4–24 s and seven delays from 0 to 3 s, more than one residue shape (its figures show a box-shaped one), embedded in brain images; we do not reuse their data. Our grid crosses CBF and MTT independently (so CBV = CBF · MTT / 60 spans \(M.number(g.truths.map(\.cbvMLPer100g).min() ?? .nan, 2))–\(M.number(g.truths.map(\.cbvMLPer100g).max() ?? .nan, 1)) mL/100g), reaches shorter MTTs (2 s) and much longer delays (up to \(M.number(g.delaysS.max() ?? .nan, 0)) s, as behind an occlusion), and uses only the exponential residue.

        **Noise.** Gaussian, seeded (`SeededRandom`, SplitMix64 + Box–Muller), independent between samples and curves. Part A's SD is the noise the pipeline's fit sees, measured by the pipeline itself: `PerfusionAnalysis.run` on \(s.scenario.rawValue) (seed \(s.seed), \(M.number(s.noiseHU, 0)) HU per voxel, \(s.frames) frames every \(M.number(s.intervalS, 1)) s\(c.lesionScenarios.contains(s.scenario) && c.seeds.contains(s.seed) ? "; one of Part B's cases" : "")) smooths the brain's tissue curves adaptively (`AdaptiveSmoothing`) and fits the smoothed curves; its metrics.json reports the robust noise SD of those smoothed curves as `smoothed_noise_sd_hu` (`Quality.noiseSD`: median |y[n] − y[n−1]| over the frame pairs of the brain's tissue curves / (0.6745 · √2)). It read \(M.number(s.smoothedNoiseSDHU, 3)) HU, which Part A uses rounded to \(M.number(g.noiseHU, 1)) HU. The grid's curves have no neighbours to smooth, so they get that noise directly. The per-voxel noise before smoothing, \(M.number(c.baseNoiseHU, 0)) HU, is kept as a stress case (the last two Summary columns, Part C, and the figure `\(ValidationFigures.stressFileName(r))`); Part C gives the grid at \(r.gridNoise.map { ReportTables.noiseLabel($0.noiseHU) }.joined(separator: ", ")) HU. The AIF is not smoothed in the pipeline: it is the mean of up to 8 raw arterial voxels (`ArterialInput.averagedAIF`), so every grid run, Part A and the whole sweep, gives the AIF noise of SD \(M.number(g.aifNoiseHU, 2)) HU (\(M.number(c.baseNoiseHU, 0)) HU per voxel / √8), one realisation per grid; only the tissue noise varies. The parametric method fits a gamma variate to the AIF, which filters most of that noise.

        **Estimator.** `CurveDeconvolution.estimate` (Sources/Perfusion/CurveDeconvolution.swift) calls the same types as the maps: the default *parametric* method fits a gamma variate to the sampled AIF (`GammaVariate.fit`), builds the `ResidueTable` of the delayed exponential residue (all frame weights 1) and fits every curve with `ParametricFit` (amplitude and baseline in closed form, global search over MTT and delay); `Maps.fromFit` gives CBF = (kH/ρ) · A · 6000, MTT, CBV = CBF · MTT / 60, Tmax = delay. *bcSVD* is block-circulant SVD with oscillation-index truncation (Wu et al. 2003) through `Maps.fromSVD`: CBF = (kH/ρ) · max k · 6000, CBV = (kH/ρ) · ∫C / ∫AIF · 100, MTT = 60 · CBV / CBF, Tmax = argmax k. Part B and C run the whole `PerfusionAnalysis` on rendered studies.

        **Statistics.** For n pairs (true x, estimate y): bias = mean(y − x); bias % = mean((y − x)/x) · 100 (over x ≠ 0; not given for Tmax, whose truth includes 0 s); bias SD = sample SD (n − 1) of y − x; Pearson r = Sxy / √(Sxx · Syy); least-squares line y = slope · x + intercept with slope = Sxy / Sxx (S = centred sums). Precision: the sample SD of the estimates within a tile, averaged over tiles (CV = SD / truth). Bland–Altman (Bland & Altman 1986): difference d = estimated − true volume; bias = mean d; limits of agreement = bias ± 1.96 · SD(d); plotted against the mean of true and estimated.


        """
    }

    static func limits(_ r: ValidationResults) -> String {
        """
        ## Limits

        - **A best case for the fit.** The phantom is generated by the model the parametric method assumes: an exponential residue, an AIF that is exactly a gamma variate, no recirculation, no dispersion between the measured AIF and the tissue, Gaussian white noise. Part A in particular measures how well the fit recovers its own model under noise and sampling, not how well the model describes a brain. Real tissue has other residue shapes (Kudo's phantom includes a box-shaped residue as well as the exponential), dispersion, recirculation, beam hardening and correlated noise; expect larger errors there.
        - **One noise number.** Part A's noise is one value measured on one study. After adaptive smoothing the residual noise differs between voxels (the bandwidth adapts to the tissue), the robust SD of frame-to-frame differences also picks up the bolus's own change (it can overstate the noise), and smoothing can leave noise that is not white; the grid adds white Gaussian noise of that single SD to every curve.
        - **Kudo et al. compared** 13 CT and 13 MR programs on a phantom with more than one residue shape and delays of 0–3 s; this report tests one program on its own phantom. The numbers are not comparable with that paper's tables, only the design is borrowed.
        - **One anatomy.** Part B has \(Set(r.lesionCases.map(\.scenario)).count) lesion scenarios on one head; the seeds vary only the noise. Bland–Altman limits from \(r.lesionCases.count) cases of one anatomy describe repeatability more than agreement across patients.
        - **Thresholds near the truth.** The phantom's lesion regions have true Tmax \(thresholdNeighbours()) s, so the Tmax > 4, 8 and 10 s volumes move with Tmax errors well below a second (Part B's table shows their systematic differences); the Tmax > 6 s and core thresholds have more room.
        - **Matrix.** The anatomical studies are \(r.configuration.matrix) × \(r.configuration.matrix) × 20 slices (the phantom's default matrix); PerfusionTests' accuracy tests use 128 × 128.
        - **Research use only.** ctperf is not a medical device; this report is not a clinical validation.


        """
    }
}
