import Foundation
import Perfusion
import Phantom

/// The report's result tables (markdown), computed from `ValidationResults`.
enum ReportTables {
    typealias M = Markdown

    /// Part A: one row per parameter and method.
    static func gridAgreement(_ r: ValidationResults) -> String {
        var rows: [[String]] = []
        for p in PerfusionParameter.allCases {
            for (method, tiles) in [("parametric", r.gridParametric), ("bcSVD", r.gridSVD)] {
                let s = ParameterSummary(p, tiles: tiles), a = s.agreement
                let percent = p == .tmax ? "–" : M.signed(a.meanBiasPercent)
                let cv = p == .tmax ? "–" : M.number(s.meanWithinTileCVPercent)
                rows.append(["\(p.rawValue) (\(p.unit))", method, M.number(a.pearsonR, 3), M.signed(a.meanBias, 2), percent,
                             M.number(a.biasSD, 2), M.number(a.slope, 3), M.signed(a.intercept, 2),
                             M.number(s.meanWithinTileSD, 2), cv])
            }
        }
        return M.table(["map", "method", "r", "bias", "bias %", "bias SD", "slope", "intercept", "within-tile SD", "within-tile CV %"], rows)
    }

    /// Part A by true MTT or by delay: biases of the tile means in that group, both methods.
    static func gridBreakdown(_ r: ValidationResults, by key: KeyPath<TissueDynamics, Double>, name: String) -> String {
        let values = key == \TissueDynamics.mttS ? r.configuration.grid.mttsS : r.configuration.grid.delaysS
        let rows = values.map { v -> [String] in
            let p = r.gridParametric.filter { $0.truth[keyPath: key] == v }
            let s = r.gridSVD.filter { $0.truth[keyPath: key] == v }
            func bias(_ q: PerfusionParameter, _ t: [GridTile]) -> Agreement {
                Agreement(truth: t.map { q.truth($0.truth) }, estimate: t.map { q.value($0.mean) })
            }
            return [M.number(v, 0), M.signed(bias(.cbf, p).meanBiasPercent), M.signed(bias(.cbv, p).meanBiasPercent),
                    M.signed(bias(.mtt, p).meanBiasPercent), M.signed(bias(.tmax, p).meanBias, 2),
                    M.number(ParameterSummary(.cbf, tiles: p).meanWithinTileCVPercent),
                    M.signed(bias(.cbf, s).meanBiasPercent), M.signed(bias(.cbv, s).meanBiasPercent),
                    M.signed(bias(.tmax, s).meanBias, 2)]
        }
        return M.table([name, "CBF bias %", "CBV bias %", "MTT bias %", "Tmax bias (s)", "CBF within-tile CV %",
                        "bcSVD CBF bias %", "bcSVD CBV bias %", "bcSVD Tmax bias (s)"], rows)
    }

    /// A grid noise SD, HU, as the sweep prints it: "%g" (0, 0.7, 2, 8).
    static func noiseLabel(_ noiseHU: Double) -> String { String(format: "%g", noiseHU) }

    /// Part C on the grid; Part A's measured noise and the unsmoothed stress case are marked.
    static func gridNoise(_ r: ValidationResults) -> String {
        let rows = r.gridNoise.map { n -> [String] in
            let cbf = ParameterSummary(.cbf, tiles: n.tiles), mtt = ParameterSummary(.mtt, tiles: n.tiles)
            let tmax = ParameterSummary(.tmax, tiles: n.tiles)
            var role: [String] = []
            if n.noiseHU == r.grid.noiseHU { role.append("measured fit noise, Part A") }
            if n.noiseHU == r.configuration.baseNoiseHU { role.append("per voxel, unsmoothed: stress") }
            return [noiseLabel(n.noiseHU), role.joined(separator: "; "), M.number(cbf.agreement.pearsonR, 3), M.signed(cbf.agreement.meanBiasPercent),
                    M.number(cbf.meanWithinTileCVPercent), M.signed(mtt.agreement.meanBiasPercent),
                    M.number(mtt.meanWithinTileCVPercent), M.signed(tmax.agreement.meanBias, 2), M.number(tmax.meanWithinTileSD, 2)]
        }
        return M.table(["tissue noise SD (HU)", "case", "CBF r", "CBF bias %", "CBF within-tile CV %", "MTT bias %", "MTT within-tile CV %",
                        "Tmax bias (s)", "Tmax within-tile SD (s)"], rows)
    }

    /// Part B: Bland–Altman per volume over every lesion case.
    static func blandAltman(_ cases: [PhantomStudyResult]) -> String {
        let rows = LesionVolume.allCases.map { v -> [String] in
            let t = cases.map { v.truth($0.truth) }, e = cases.map { v.estimate($0.estimated) }
            let ba = BlandAltman(truth: t, estimate: e)
            return [v.rawValue, "\(ba.count)", M.number(Statistics.mean(t)), M.signed(ba.bias), M.number(ba.differenceSD),
                    M.signed(ba.lowerLimit), M.signed(ba.upperLimit), correlation(t, e)]
        }
        return M.table(["volume", "cases", "mean true (mL)", "bias (mL)", "SD (mL)", "lower 95% limit (mL)",
                        "upper 95% limit (mL)", "r"], rows)
    }

    /// Pearson r, or "–" when every case has the same true volume (r is not defined).
    static func correlation(_ t: [Double], _ e: [Double]) -> String {
        Set(t).count < 2 ? "–" : M.number(Statistics.pearson(t, e), 3)
    }

    /// Part B: every case.
    static func cases(_ cases: [PhantomStudyResult]) -> String {
        let rows = cases.map { c -> [String] in
            var row = [c.scenario.rawValue, "\(c.seed)"]
            for v in [LesionVolume.core, .hypoperfusion, .penumbra] {
                let t = v.truth(c.truth), e = v.estimate(c.estimated)
                row += [M.number(t), M.number(e), M.signed(e - t)]
            }
            row += [M.optional(c.truth.mismatchRatio, 2), M.optional(c.estimated.mismatchRatio, 2)]
            return row
        }
        return M.table(["scenario", "seed", "core true", "core est.", "core diff.", "Tmax>6 true", "Tmax>6 est.", "Tmax>6 diff.",
                        "penumbra true", "penumbra est.", "penumbra diff.", "mismatch ratio true", "mismatch ratio est."], rows)
    }

    /// Part B: false positives on the healthy phantom (truth 0 mL).
    static func healthy(_ cases: [PhantomStudyResult]) -> String {
        let rows = cases.map { c -> [String] in
            [c.scenario.rawValue, "\(c.seed)"] + [LesionVolume.core, .tmaxOver4s, .hypoperfusion, .tmaxOver10s].map {
                M.number($0.estimate(c.estimated), 2) + " (" + M.number($0.truth(c.truth), 0) + ")"
            } + [c.estimated.affectedSide ?? "none"]
        }
        return M.table(["scenario", "seed", "core (true)", "Tmax>4 (true)", "Tmax>6 (true)", "Tmax>10 (true)", "affected side"], rows)
    }

    /// Part C on the anatomical phantom: one row per run.
    static func sensitivity(_ runs: [PhantomStudyResult]) -> String {
        let rows = runs.map { c -> [String] in
            let core = LesionVolume.core, hypo = LesionVolume.hypoperfusion, g = c.greyMatter
            return [M.number(c.noiseHU, 0), M.number(c.intervalS, 1), "\(c.frames)",
                    M.number(core.truth(c.truth)), M.signed(core.estimate(c.estimated) - core.truth(c.truth)),
                    M.number(hypo.truth(c.truth)), M.signed(hypo.estimate(c.estimated) - hypo.truth(c.truth)),
                    M.signed(100 * (hypo.estimate(c.estimated) / hypo.truth(c.truth) - 1)),
                    M.signed(g.cbfBiasPercent), M.number(g.cbfMedianAbsoluteErrorPercent), M.signed(g.mttBiasPercent),
                    M.number(g.mttMedianAbsoluteErrorPercent), M.signed(g.tmaxBiasS, 2), M.number(g.brainTmaxMeanAbsoluteErrorS, 2)]
        }
        return M.table(["noise (HU)", "interval (s)", "frames", "core true (mL)", "core diff. (mL)", "Tmax>6 true (mL)",
                        "Tmax>6 diff. (mL)", "Tmax>6 diff. %", "GM CBF bias %", "GM CBF median abs. error %", "GM MTT bias %",
                        "GM MTT median abs. error %", "GM Tmax bias (s)", "brain Tmax MAE (s)"], rows)
    }
}
