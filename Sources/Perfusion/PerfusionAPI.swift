import Imaging

/// Thresholds and constants of the analysis (DESIGN section 5). Every value is reported back in
/// `PerfusionMetrics` so a result always states what it was computed with.
public struct PerfusionOptions: Sendable, Codable, Equatable {
    /// Hypoperfusion: Tmax above this, s.
    public var tmaxThresholdS = 6.0
    /// Core: rCBF below this (ratio to the reference tissue) AND Tmax > `tmaxThresholdS`.
    public var rcbfThreshold = 0.30
    /// Brain tissue density rho, g/mL.
    public var tissueDensityGPerML = 1.04
    /// Large-to-small-vessel haematocrit correction kH (dimensionless).
    public var hematocritFactorKH = 0.73
    /// Prolonged venous transit: sinus or torcula Tmax at or above this, s.
    public var pvtThresholdS = 10.0
    /// How tissue curves are deconvolved (see `DeconvolutionMethod`).
    public var deconvolution = DeconvolutionMethod.parametric

    public init() {}

    /// Missing keys keep their defaults, so a settings file names only what it changes.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = PerfusionOptions()
        tmaxThresholdS = try c.decodeIfPresent(Double.self, forKey: .tmaxThresholdS) ?? d.tmaxThresholdS
        rcbfThreshold = try c.decodeIfPresent(Double.self, forKey: .rcbfThreshold) ?? d.rcbfThreshold
        tissueDensityGPerML = try c.decodeIfPresent(Double.self, forKey: .tissueDensityGPerML) ?? d.tissueDensityGPerML
        hematocritFactorKH = try c.decodeIfPresent(Double.self, forKey: .hematocritFactorKH) ?? d.hematocritFactorKH
        pvtThresholdS = try c.decodeIfPresent(Double.self, forKey: .pvtThresholdS) ?? d.pvtThresholdS
        deconvolution = try c.decodeIfPresent(DeconvolutionMethod.self, forKey: .deconvolution) ?? d.deconvolution
    }
}

/// Deconvolution of tissue curves by the arterial input.
public enum DeconvolutionMethod: String, Sendable, Codable, CaseIterable {
    /// Delay-insensitive parametric fit (delayed exponential residue, global search over MTT and
    /// delay with the amplitude and baseline solved in closed form). The default: it meets the
    /// phantom accuracy bar where the textbook method does not (see `ParametricFit`; on the
    /// stroke-left phantom, 128 matrix, the same smoothing: grey-matter CBF median error 6 % vs
    /// 47 % low, Tmax error 0.44 s vs 2.5 s, Tmax > 6 s volume 78 vs 164 mL for a true 82 mL).
    case parametric
    /// Textbook block-circulant SVD with oscillation-index truncation (Wu et al. 2003), on
    /// curves resampled to a uniform grid. Kept for comparison; biased (DESIGN section 5, known limits).
    case blockCirculantSVD = "bcsvd"
}

/// What the analysis runs on.
public struct PerfusionInput: Sendable {
    /// HU at (x, y, z, t); frame times true (possibly variable), relative to the first frame.
    public var volume: Volume4D
    /// Lesion-side cortex (--roi_mask) on the volume's grid, 0/1; restricted to Tmax > threshold.
    public var lesionCortexMask: Volume3D?
    /// Contralateral cortex (--contra_mask) on the volume's grid, 0/1; also the reference tissue.
    public var contralateralCortexMask: Volume3D?

    public init(volume: Volume4D, lesionCortexMask: Volume3D? = nil, contralateralCortexMask: Volume3D? = nil) {
        self.volume = volume
        self.lesionCortexMask = lesionCortexMask
        self.contralateralCortexMask = contralateralCortexMask
    }
}

/// Stages of `PerfusionAnalysis.run`, in the order they run, for progress reports. The AIF comes
/// before smoothing because the smoothing tests differences along the model curves' principal
/// components, which depend on the AIF.
public enum PerfusionStage: String, Sendable, CaseIterable {
    case motion, brainMask, baseline, arterialInput, smoothing, deconvolution, maps, symmetry, metrics
}

/// An arterial input or venous output curve and where it came from.
public struct CurveInfo: Sendable, Codable, Equatable {
    /// s, relative to the first frame (the input's frame times).
    public var frameTimesS: [Double]
    /// Mean measured curve of `voxels`, delta HU (before any partial-volume scaling).
    public var deltaHU: [Double]
    /// The curve as used, delta HU at `frameTimesS`: for the AIF the gamma-variate first pass
    /// times `partialVolumeScale`; for the VOF its gamma-variate fit.
    public var modelDeltaHU: [Double]
    /// Voxel locations (i, j, k) on the input grid (centre of the analysed block when binned).
    public var voxels: [[Int]]
    /// AIF: factor (>= 1) making its area match the VOF's (partial-volume correction); VOF: 1.
    public var partialVolumeScale: Double
    /// Peak of `modelDeltaHU`, HU.
    public var peakDeltaHU: Double
    /// Time to peak of the model curve, s from the first frame.
    public var timeToPeakS: Double
    /// Area of the measured curve over the acquisition (trapezoid), HU·s.
    public var areaHUSeconds: Double

    public init(frameTimesS: [Double], deltaHU: [Double], modelDeltaHU: [Double], voxels: [[Int]],
                partialVolumeScale: Double, peakDeltaHU: Double, timeToPeakS: Double, areaHUSeconds: Double) {
        self.frameTimesS = frameTimesS; self.deltaHU = deltaHU; self.modelDeltaHU = modelDeltaHU
        self.voxels = voxels; self.partialVolumeScale = partialVolumeScale; self.peakDeltaHU = peakDeltaHU
        self.timeToPeakS = timeToPeakS; self.areaHUSeconds = areaHUSeconds
    }
}

/// A reason to distrust a result, instead of silent garbage (DESIGN section 5).
public struct QualityFlag: Sendable, Codable, Equatable {
    public enum Code: String, Sendable, Codable, CaseIterable {
        case motion, truncatedBolus, poorAIF, lowContrastToNoise, tooFewTimePoints, lesionAtSlabEdge
    }
    public var code: Code
    /// One sentence: what was found, with the number and the limit.
    public var message: String

    public init(code: Code, message: String) {
        self.code = code; self.message = message
    }
}

/// Maps (on the input grid), masks, curves, metrics and quality flags of one analysis.
public struct PerfusionResult: Sendable {
    /// mL/100g/min; 0 outside the brain mask.
    public var cbf: Volume3D
    /// mL/100g
    public var cbv: Volume3D
    /// s
    public var mtt: Volume3D
    /// s, relative to the arterial input
    public var tmax: Volume3D
    /// Time to peak of the smoothed tissue curve, s from the first frame.
    public var ttp: Volume3D
    /// CBF / mean reference-tissue CBF (ratio).
    public var rcbf: Volume3D
    /// CBV / mean reference-tissue CBV (ratio).
    public var rcbv: Volume3D
    /// 0/1 masks.
    public var brainMask, hypoperfusionMask, coreMask, penumbraMask, sinusROI, torculaROI: Volume3D
    /// Time-averaged HU after motion correction, full input resolution (for overlays).
    public var meanCT: Volume3D
    public var aif: CurveInfo
    public var vof: CurveInfo
    public var metrics: PerfusionMetrics
    public var qualityFlags: [QualityFlag]

    public init(cbf: Volume3D, cbv: Volume3D, mtt: Volume3D, tmax: Volume3D, ttp: Volume3D, rcbf: Volume3D, rcbv: Volume3D,
                brainMask: Volume3D, hypoperfusionMask: Volume3D, coreMask: Volume3D, penumbraMask: Volume3D,
                sinusROI: Volume3D, torculaROI: Volume3D, meanCT: Volume3D, aif: CurveInfo, vof: CurveInfo,
                metrics: PerfusionMetrics, qualityFlags: [QualityFlag]) {
        self.cbf = cbf; self.cbv = cbv; self.mtt = mtt; self.tmax = tmax; self.ttp = ttp; self.rcbf = rcbf; self.rcbv = rcbv
        self.brainMask = brainMask; self.hypoperfusionMask = hypoperfusionMask; self.coreMask = coreMask
        self.penumbraMask = penumbraMask; self.sinusROI = sinusROI; self.torculaROI = torculaROI; self.meanCT = meanCT
        self.aif = aif; self.vof = vof; self.metrics = metrics; self.qualityFlags = qualityFlags
    }
}

/// Why an analysis could not produce a result; `description` tells the user what was wrong.
public struct PerfusionError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: String, Sendable, Codable {
        case invalidInput, tooFewTimePoints, noBrain, noArterialInput, noVenousOutput
    }
    public let code: Code
    public let description: String

    public init(_ code: Code, _ description: String) {
        self.code = code; self.description = description
    }
}
