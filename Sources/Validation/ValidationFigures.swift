import Foundation
import Perfusion
import Phantom
import Render

/// The report's PNG figures (800 x 600), by file name (under `validation/`).
enum ValidationFigures {
    /// Distinct colours for groups (delays, MTTs, scenarios), in order.
    static let palette: [RGBColour] = [
        RGBColour(0.12, 0.35, 0.80), RGBColour(0.84, 0.15, 0.16), RGBColour(0.17, 0.63, 0.17), RGBColour(0.58, 0.40, 0.74),
        RGBColour(1.00, 0.50, 0.05), RGBColour(0.09, 0.75, 0.81), RGBColour(0.55, 0.34, 0.29), RGBColour(0.89, 0.47, 0.76),
    ]
    static let biasColour = RGBColour(0.1, 0.1, 0.1)
    static let limitColour = RGBColour(0.84, 0.15, 0.16)

    static func colour(_ n: Int) -> RGBColour { palette[n % palette.count] }

    static func all(_ r: ValidationResults) throws -> [(name: String, image: RGBImage)] {
        var out: [(String, RGBImage)] = []
        let delays = r.grid.delaysS, noise = String(format: "%g HU", r.grid.noiseHU)
        for p in PerfusionParameter.allCases {
            out.append(("grid_\(p.rawValue.lowercased()).png", try gridScatter(r.gridParametric, p, method: "parametric, \(noise)", delays: delays)))
        }
        for p in [PerfusionParameter.cbf, .tmax] {
            out.append(("grid_svd_\(p.rawValue.lowercased()).png", try gridScatter(r.gridSVD, p, method: "bcSVD, \(noise)", delays: delays)))
        }
        if let stress = r.gridUnsmoothed {
            out.append((stressFileName(r), try gridScatter(stress.tiles, .cbf, method: String(format: "parametric, %g HU unsmoothed", stress.noiseHU),
                                                           delays: delays)))
        }
        out.append(("grid_cbf_bias_vs_delay.png", try cbfBiasVsDelay(r)))
        out.append(("grid_noise.png", try gridNoise(r)))
        for v in [LesionVolume.core, .hypoperfusion, .penumbra] {
            out.append(("lesions_\(fileStem(v))_bland_altman.png", try blandAltman(r.lesionCases, v)))
            out.append(("lesions_\(fileStem(v))_scatter.png", try lesionScatter(r.lesionCases, v)))
        }
        out.append(("sensitivity_noise.png", try sensitivity(r.noiseRuns, x: { $0.noiseHU }, xLabel: "noise SD per voxel (HU)",
                                                             title: String(format: "%@: error vs noise (%g s sampling)", r.configuration.sensitivityScenario.rawValue, r.configuration.baseIntervalS))))
        out.append(("sensitivity_interval.png", try sensitivity(r.intervalRuns, x: { $0.intervalS }, xLabel: "sampling interval (s)",
                                                                title: String(format: "%@: error vs sampling interval (%g HU)", r.configuration.sensitivityScenario.rawValue, r.configuration.baseNoiseHU))))
        return out
    }

    /// The stress-case figure: parametric CBF at the unsmoothed per-voxel noise, e.g. "grid_cbf_unsmoothed_8hu.png".
    static func stressFileName(_ r: ValidationResults) -> String {
        String(format: "grid_cbf_unsmoothed_%ghu.png", r.configuration.baseNoiseHU)
    }

    static func fileStem(_ v: LesionVolume) -> String {
        switch v {
        case .core: "core"
        case .hypoperfusion: "tmax6"
        case .penumbra: "penumbra"
        case .tmaxOver4s: "tmax4"
        case .tmaxOver8s: "tmax8"
        case .tmaxOver10s: "tmax10"
        }
    }

    /// Tile means vs truth with ±1 within-tile SD, one colour per delay, and the identity.
    static func gridScatter(_ tiles: [GridTile], _ p: PerfusionParameter, method: String, delays: [Double]) throws -> RGBImage {
        let series = delays.enumerated().map { n, delay in
            let group = tiles.filter { $0.truth.delayS == delay }
            return ScatterSeries(label: String(format: "delay %g s", delay), xs: group.map { p.truth($0.truth) },
                                 ys: group.map { p.value($0.mean) }, yErrors: group.map { p.value($0.sd) }, colour: colour(n))
        }
        return try ScatterFigure.draw(series, lines: [.identity()], title: "\(p.rawValue), \(method): tile mean ± within-tile SD",
                                      xLabel: "true \(p.rawValue) (\(p.unit))", yLabel: "estimated \(p.rawValue) (\(p.unit))", square: true)
    }

    /// CBF bias (%) of the tile means vs delay, one colour per true MTT (averaged over CBF), at
    /// Part A's noise (the fit's measured noise).
    static func cbfBiasVsDelay(_ r: ValidationResults) throws -> RGBImage {
        let g = r.grid, tiles = r.gridParametric, noise = g.noiseHU
        var series: [ScatterSeries] = []
        for (n, mtt) in g.mttsS.enumerated() {
            let ys = g.delaysS.map { delay in
                Statistics.mean(tiles.filter { $0.truth.mttS == mtt && $0.truth.delayS == delay }
                    .map { 100 * ($0.mean.cbfMLPer100gPerMin / $0.truth.cbfMLPer100gPerMin - 1) })
            }
            series.append(ScatterSeries(label: String(format: "MTT %g s", mtt), xs: g.delaysS, ys: ys, colour: colour(n)))
        }
        return try ScatterFigure.draw(series, lines: [.horizontal("no bias", y: 0, colour: biasColour, dashed: true)],
                                      title: String(format: "Parametric CBF bias vs tracer delay, %g HU (mean over CBF)", noise),
                                      xLabel: "true delay (s)", yLabel: "CBF bias (%)", square: false)
    }

    /// Grid: CBF/MTT bias and within-tile CV vs noise.
    static func gridNoise(_ r: ValidationResults) throws -> RGBImage {
        let xs = r.gridNoise.map(\.noiseHU)
        let cbf = r.gridNoise.map { ParameterSummary(.cbf, tiles: $0.tiles) }
        let mtt = r.gridNoise.map { ParameterSummary(.mtt, tiles: $0.tiles) }
        let series = [
            ScatterSeries(label: "CBF bias (%)", xs: xs, ys: cbf.map(\.agreement.meanBiasPercent), colour: colour(0)),
            ScatterSeries(label: "CBF within-tile CV (%)", xs: xs, ys: cbf.map(\.meanWithinTileCVPercent), colour: colour(5)),
            ScatterSeries(label: "MTT bias (%)", xs: xs, ys: mtt.map(\.agreement.meanBiasPercent), colour: colour(1)),
            ScatterSeries(label: "MTT within-tile CV (%)", xs: xs, ys: mtt.map(\.meanWithinTileCVPercent), colour: colour(4)),
        ]
        return try ScatterFigure.draw(series, lines: [.horizontal("0", y: 0, colour: biasColour, dashed: true)],
                                      title: String(format: "Grid, parametric: bias and precision vs noise (Part A at %g HU)", r.grid.noiseHU),
                                      xLabel: "noise SD per curve (HU)", yLabel: "%", square: false)
    }

    /// Bland–Altman: mean of true and estimated on x, estimated - true on y; bias and 95 % limits.
    static func blandAltman(_ cases: [PhantomStudyResult], _ v: LesionVolume) throws -> RGBImage {
        let ba = BlandAltman(truth: cases.map { v.truth($0.truth) }, estimate: cases.map { v.estimate($0.estimated) })
        let series = scenarioSeries(cases) { c in
            let t = v.truth(c.truth), e = v.estimate(c.estimated)
            return ((t + e) / 2, e - t)
        }
        let lines = [ScatterLine.horizontal(String(format: "bias %.1f mL", ba.bias), y: ba.bias, colour: biasColour),
                     .horizontal(String(format: "95%% limits %.1f, %.1f mL", ba.lowerLimit, ba.upperLimit), y: ba.lowerLimit,
                                 colour: limitColour, dashed: true),
                     .horizontal("", y: ba.upperLimit, colour: limitColour, dashed: true)]
        return try ScatterFigure.draw(series, lines: lines, title: "Bland–Altman: \(v.rawValue) volume, all lesion cases",
                                      xLabel: "mean of true and estimated (mL)", yLabel: "estimated - true (mL)", square: false)
    }

    static func lesionScatter(_ cases: [PhantomStudyResult], _ v: LesionVolume) throws -> RGBImage {
        let series = scenarioSeries(cases) { (v.truth($0.truth), v.estimate($0.estimated)) }
        return try ScatterFigure.draw(series, lines: [.identity()], title: "\(v.rawValue) volume: estimated vs true",
                                      xLabel: "true volume (mL)", yLabel: "estimated volume (mL)", square: true)
    }

    /// One series per scenario, in the cases' order.
    static func scenarioSeries(_ cases: [PhantomStudyResult], _ point: (PhantomStudyResult) -> (Double, Double)) -> [ScatterSeries] {
        var order: [PerfusionScenario] = []
        for c in cases where !order.contains(c.scenario) { order.append(c.scenario) }
        return order.enumerated().map { n, s in
            let pts = cases.filter { $0.scenario == s }.map(point)
            return ScatterSeries(label: s.rawValue, xs: pts.map(\.0), ys: pts.map(\.1), colour: colour(n))
        }
    }

    /// Volume and grey-matter errors (%) of the sensitivity runs against x.
    static func sensitivity(_ runs: [PhantomStudyResult], x: (PhantomStudyResult) -> Double, xLabel: String,
                            title: String) throws -> RGBImage {
        let xs = runs.map(x)
        func volumeError(_ v: LesionVolume) -> [Double] {
            runs.map { 100 * (v.estimate($0.estimated) / v.truth($0.truth) - 1) }
        }
        let series = [
            ScatterSeries(label: "Tmax > 6 s volume error (%)", xs: xs, ys: volumeError(.hypoperfusion), colour: colour(0)),
            ScatterSeries(label: "core volume error (%)", xs: xs, ys: volumeError(.core), colour: colour(1)),
            ScatterSeries(label: "grey-matter CBF bias (%)", xs: xs, ys: runs.map(\.greyMatter.cbfBiasPercent), colour: colour(2)),
            ScatterSeries(label: "grey-matter MTT bias (%)", xs: xs, ys: runs.map(\.greyMatter.mttBiasPercent), colour: colour(3)),
        ]
        return try ScatterFigure.draw(series, lines: [.horizontal("0", y: 0, colour: biasColour, dashed: true)],
                                      title: title, xLabel: xLabel, yLabel: "error (%)", square: false)
    }
}
