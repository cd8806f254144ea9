import Foundation
import Imaging

/// Superior sagittal sinus and torcula, found automatically: late, strongly enhancing voxels
/// near the mid-sagittal plane; the torcula is where the transverse sinuses leave the midline
/// (slices with venous voxels far lateral in the posterior head, and their neighbours), the rest
/// of the midline venous voxels is the superior sagittal sinus. Their Tmax comes from
/// block-circulant SVD (oscillation index) of the unsmoothed venous curves, because the
/// exponential residue of the tissue fit does not describe a venous transit (DESIGN section 5, PVT).
struct VenousROIs: Sendable {
    var sinus: [Int]
    var torcula: [Int]
    var sinusTmaxS: [Double]
    var torculaTmaxS: [Double]
}

enum VenousROIFinder {
    /// Midline: within this of the mid-sagittal plane, mm.
    static let midlineMM = 12.0
    /// Transverse sinus: venous voxels at least this far lateral, mm.
    static let transverseMM = 20.0
    /// Venous: peak >= this fraction of the VOF peak (and >= `ArterialInput.minimumPeakHU`),
    /// time to peak >= the AIF's + `ArterialInput.venousDelayS`.
    static let peakFraction = 0.3
    /// Uniform grid of the venous deconvolution, s.
    static let deconvolutionStepS = 0.5

    static func find(series: PreparedSeries, baseline: BaselineInfo, intracranial: [Bool], peaks: [Float],
                     vascular: VascularCurves, plane: MidSagittalPlane) -> VenousROIs {
        let g = series.grid, times = series.frameTimes, coordinates = series.coordinates
        let aifTTP = CurveMath.features(vascular.aifMeasured, times: times).timeToPeakS
        let vofPeak = vascular.vofMeasured.max() ?? 0
        let minimumPeak = max(ArterialInput.minimumPeakHU, peakFraction * vofPeak)
        // The posterior direction in the image plane (LPS +y), for "posterior half".
        let uj = g.affineLPS.columnJ.normalized, ui = g.affineLPS.columnI.normalized
        var venous: [(v: Int, k: Int, lateral: Double, posterior: Double)] = []
        var centroid = 0.0, count = 0.0
        for k in 0..<g.nz {
            for j in 0..<g.ny {
                for i in 0..<g.nx {
                    let v = g.index(i, j, k)
                    guard intracranial[v] else { continue }
                    let p = coordinates.mm(Double(i), Double(j))
                    let posterior = p.x * ui.y + p.y * uj.y
                    centroid += posterior; count += 1
                    guard Double(peaks[v]) >= minimumPeak else { continue }
                    let f = CurveMath.features(ArterialInput.curve(series, baseline, v), times: times)
                    guard f.timeToPeakS >= aifTTP + ArterialInput.venousDelayS else { continue }
                    venous.append((v, k, abs(plane.signedDistanceMM(p.x, p.y)), posterior))
                }
            }
        }
        let middle = count > 0 ? centroid / count : 0
        let transverseSlices = Set(venous.filter { $0.lateral >= transverseMM && $0.posterior > middle }.map { $0.k })
        let torculaSlices = Set(transverseSlices.flatMap { [$0 - 1, $0, $0 + 1] })
        var sinus: [Int] = [], torcula: [Int] = []
        for x in venous where x.lateral <= midlineMM {
            if torculaSlices.contains(x.k) && x.posterior > middle { torcula.append(x.v) } else { sinus.append(x.v) }
        }
        let stepS = deconvolutionStepS
        let length = Int(((times.last ?? 0) / stepS).rounded(.down)) + 1
        let aif = (0..<length).map { vascular.aifModel.value(atS: Double($0) * stepS) }
        let deconvolution = CirculantDeconvolution(aif: aif, stepS: stepS)
        func tmax(_ v: Int) -> Double {
            let c = CirculantDeconvolution.resample(ArterialInput.curve(series, baseline, v), times: times, stepS: stepS, count: length)
            return deconvolution.peakTimeS(deconvolution.deconvolveAdaptive(c).residue)
        }
        return VenousROIs(sinus: sinus, torcula: torcula, sinusTmaxS: sinus.map(tmax), torculaTmaxS: torcula.map(tmax))
    }
}
