import Foundation
import Imaging

/// Perfusion maps on the analysis grid (0 outside the brain).
struct AnalysisMaps: Sendable {
    var cbf: [Float]    // mL/100g/min
    var cbv: [Float]    // mL/100g
    var mtt: [Float]    // s
    var tmax: [Float]   // s
    var ttp: [Float]    // s
    var brain: [Bool]
}

enum Maps {
    /// Maps from the parametric fit: CBF = (kH/rho) * A * 6000, MTT from the fit,
    /// CBV = CBF * MTT / 60 (= (kH/rho) * ∫C / ∫AIF * 100 for the model curve), Tmax = delay.
    static func fromFit(_ estimates: [ParametricFit.Estimate], curves: CurveSet, times: [Double], grid: Grid,
                        options: PerfusionOptions) -> AnalysisMaps {
        let n = grid.voxelCount
        var maps = empty(n)
        let scale = Float(options.hematocritFactorKH / options.tissueDensityGPerML * 6000)
        for (r, e) in estimates.enumerated() {
            let v = Int(curves.voxels[r])
            let cbf = e.amplitudePerS * scale
            maps.cbf[v] = cbf
            maps.mtt[v] = e.mttS
            maps.cbv[v] = cbf * e.mttS / 60
            maps.tmax[v] = e.delayS
            maps.brain[v] = true
        }
        maps.ttp = timeToPeak(curves: curves, times: times, grid: grid)
        return maps
    }

    /// Maps from block-circulant SVD residues k(t) (1/s) on a uniform grid: CBF = (kH/rho) max k * 6000,
    /// CBV = (kH/rho) ∫C / ∫AIF * 100, MTT = 60 CBV / CBF, Tmax = argmax k.
    static func fromSVD(curves: CurveSet, times: [Double], aif: [Double], grid: Grid,
                        options: PerfusionOptions) -> AnalysisMaps {
        let n = grid.voxelCount
        var maps = empty(n)
        let step = min(1.0, zip(times.dropFirst(), times).map { $0 - $1 }.min() ?? 1)
        let length = Int(((times.last ?? 0) / step).rounded(.down)) + 1
        let aifUniform = CirculantDeconvolution.resample(aif, times: times, stepS: step, count: length)
        let deconvolution = CirculantDeconvolution(aif: aifUniform, stepS: step)
        let aifArea = CurveMath.trapezoid(aif, times: times)
        let kHOverRho = options.hematocritFactorKH / options.tissueDensityGPerML
        let results: [(Float, Float, Float)] = curves.values.withSharedReadPointer { src in
            Parallel.build(curves.count) { range, out in
                for r in range {
                    let y = (0..<curves.nt).map { Double(src[r * curves.stride + $0]) }
                    let k = deconvolution.deconvolveAdaptive(CirculantDeconvolution.resample(y, times: times, stepS: step, count: length)).residue
                    let cbf = kHOverRho * max(0, k.max() ?? 0) * 6000
                    let cbv = kHOverRho * CurveMath.trapezoid(y, times: times) / max(aifArea, 1e-9) * 100
                    out[r] = (Float(cbf), Float(max(0, cbv)), Float(deconvolution.peakTimeS(k)))
                }
            }
        }
        for (r, x) in results.enumerated() {
            let v = Int(curves.voxels[r])
            maps.cbf[v] = x.0; maps.cbv[v] = x.1; maps.tmax[v] = x.2
            maps.mtt[v] = x.0 > 0 ? 60 * x.1 / x.0 : 0
            maps.brain[v] = true
        }
        maps.ttp = timeToPeak(curves: curves, times: times, grid: grid)
        return maps
    }

    static func empty(_ n: Int) -> AnalysisMaps {
        let zero = [Float](repeating: 0, count: n)
        return AnalysisMaps(cbf: zero, cbv: zero, mtt: zero, tmax: zero, ttp: zero, brain: [Bool](repeating: false, count: n))
    }

    /// Time to peak of each (smoothed) tissue curve, s from the first frame (quadratic refinement).
    static func timeToPeak(curves: CurveSet, times: [Double], grid: Grid) -> [Float] {
        var out = [Float](repeating: 0, count: grid.voxelCount)
        guard !times.isEmpty else { return out }
        for r in 0..<curves.count {
            let y = (0..<curves.nt).map { Double(curves.values[r * curves.stride + $0]) }
            out[Int(curves.voxels[r])] = Float(CurveMath.features(y, times: times).timeToPeakS)
        }
        return out
    }
}
