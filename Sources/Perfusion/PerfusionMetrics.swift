import Imaging

/// Every DESIGN section 5 stroke metric, with units in the names, the voxel counts behind every
/// ratio, the thresholds and constants used and published cut-offs with citations. Encodes to
/// clean snake-case keys with `JSONEncoder.KeyEncodingStrategy.convertToSnakeCase`; undefined
/// values are explicit nulls, each with a `...NullReason`. Voxel counts are on the analysis grid
/// (`settings.analysisVoxelVolumeML` per voxel; the input grid binned `settings.analysisBinning`
/// x `analysisBinning` in-plane). Research use only, not a diagnosis.
public struct PerfusionMetrics: Sendable, Codable, Equatable, ExplicitNullEncodable {
    /// Thresholds and constants the metrics were computed with.
    public struct Settings: Sendable, Codable, Equatable, ExplicitNullEncodable {
        public var hypoperfusionTmaxThresholdS: Double
        public var coreRelativeCBFThreshold: Double
        public var tissueDensityGPerML: Double
        public var hematocritFactorKH: Double
        public var pvtThresholdS: Double
        public var deconvolution: String
        /// In-plane binning of the analysis (1 = none; 2 = 2 x 2 pixels, maps upsampled by replication).
        public var analysisBinning: Int
        /// Voxel volume of the input grid and of the analysis grid, mL.
        public var voxelVolumeML: Double
        public var analysisVoxelVolumeML: Double
    }

    /// Reference tissue for relative values (rCBF, rCBV, conventional CBV index).
    public struct ReferenceTissue: Sendable, Codable, Equatable, ExplicitNullEncodable {
        /// "left" or "right" (unaffected hemisphere), "both" (no affected side) or "contra_mask".
        public var source: String
        public var voxels: Int
        public var cbfMLPer100gPerMin: Double
        public var cbvMLPer100g: Double
        /// Brain voxels with Tmax below this are reference tissue (not used with the contra mask), s.
        public var tmaxBelowS: Double
    }

    /// Venous ROI and its Tmax (from block-circulant SVD of the venous curves).
    public struct VenousROI: Sendable, Codable, Equatable, ExplicitNullEncodable {
        public var voxels: Int
        public var tmaxMedianS: Double?
        public var tmaxP90S: Double?
        /// Why the Tmax values are null (ROI not found).
        public var nullReason: String?
    }

    /// Prolonged venous transit (PVT): Tmax >= threshold in the superior sagittal sinus and/or torcula.
    public struct Venous: Sendable, Codable, Equatable, ExplicitNullEncodable {
        public var superiorSagittalSinus: VenousROI
        public var torcula: VenousROI
        public var pvtThresholdS: Double
        /// nil when neither ROI was found.
        public var prolongedVenousTransit: Bool?
        /// Which ROI medians decided the call.
        public var call: String
    }

    /// A published cut-off reported beside our value.
    public struct Cutoff: Sendable, Codable, Equatable, ExplicitNullEncodable {
        public var metric: String
        /// e.g. "<= 0.7"
        public var threshold: String
        public var meaning: String
        public var citation: String
        /// Whether our value meets the threshold; nil when the value is undefined.
        public var met: Bool?
    }

    public struct Plane: Sendable, Codable, Equatable, ExplicitNullEncodable {
        public var pointLPS: [Double]
        /// Unit normal pointing to the patient's left.
        public var normalLPS: [Double]
    }

    public var settings: Settings

    // Brain and hypoperfusion
    public var brainVoxels: Int
    public var brainVolumeML: Double
    public var tmaxOver4sVoxels: Int, tmaxOver6sVoxels: Int, tmaxOver8sVoxels: Int, tmaxOver10sVoxels: Int
    public var tmaxOver4sVolumeML: Double, tmaxOver6sVolumeML: Double, tmaxOver8sVolumeML: Double, tmaxOver10sVolumeML: Double
    /// Tmax > `settings.hypoperfusionTmaxThresholdS`.
    public var hypoperfusionVoxels: Int
    public var hypoperfusionVolumeML: Double

    // Core, penumbra, mismatch
    public var coreVoxels: Int
    public var coreVolumeML: Double
    public var penumbraVoxels: Int
    public var penumbraVolumeML: Double
    /// Hypoperfusion - core.
    public var mismatchVolumeML: Double
    /// Hypoperfusion / core; nil with a reason when the core is 0.
    public var mismatchRatio: Double?
    public var mismatchRatioNullReason: String?
    /// DEFUSE-3: core < 70 mL, ratio >= 1.8, mismatch >= 15 mL (a zero core with mismatch counts as an infinite ratio).
    public var defuse3TargetMismatch: Bool
    /// EXTEND-IA: core < 70 mL, ratio > 1.2, mismatch > 10 mL.
    public var extendIATargetMismatch: Bool
    /// Penumbra / hypoperfusion x 100.
    public var prrPercent: Double?
    public var prrNullReason: String?
    /// HIR = V(Tmax > 10 s) / V(Tmax > 6 s) (voxel counts `tmaxOver10sVoxels`, `tmaxOver6sVoxels`).
    public var hypoperfusionIntensityRatio: Double?
    public var hypoperfusionIntensityRatioNullReason: String?
    /// V(Tmax > 4 s) / V(Tmax > 6 s).
    public var compensationIndex: Double?
    public var compensationIndexNullReason: String?

    // CBV indices
    /// Mean CBV in the Tmax > 6 s lesion / mean CBV of the reference tissue.
    public var cbvIndexConventional: Double?
    public var cbvIndexConventionalNullReason: String?
    public var cbvIndexConventionalLesionVoxels: Int
    public var cbvIndexConventionalReferenceVoxels: Int
    public var cbvIndexConventionalLesionMeanCBVMLPer100g: Double?
    /// Mean CBV of cortical grey matter in the lesion / in the mirrored contralateral region
    /// (or in --roi_mask restricted to Tmax > 6 s / in --contra_mask).
    public var cbvIndexCorrected: Double?
    public var cbvIndexCorrectedNullReason: String?
    public var cbvIndexCorrectedLesionCortexVoxels: Int
    public var cbvIndexCorrectedContralateralCortexVoxels: Int
    /// "automatic cortex, mirrored" or "roi_mask / contra_mask".
    public var cbvIndexCorrectedRegions: String

    public var reference: ReferenceTissue
    /// "left", "right" or nil (no clear Tmax asymmetry).
    public var affectedSide: String?
    public var tmaxOver6sLeftVoxels: Int
    public var tmaxOver6sRightVoxels: Int
    public var midSagittalPlane: Plane
    public var venous: Venous

    // Acquisition and processing
    public var motionMaxDisplacementMM: Double
    public var motionCorrectedFrames: Int
    public var frames: Int
    public var baselineFrames: Int
    public var bolusArrivalS: Double
    public var aifPartialVolumeScale: Double
    /// Peak enhancement of the brain's mean curve over its baseline noise (per voxel, smoothed).
    public var contrastToNoiseRatio: Double
    /// Robust noise SD of the smoothed tissue curves the fit sees, HU (`Quality.noiseSD`: median
    /// |y[n] - y[n-1]| / (0.6745 sqrt 2)); the denominator of `contrastToNoiseRatio`. Spelled "Sd"
    /// so the key is `smoothed_noise_sd_hu` (a capital run "SDHU" would become one word, "sdhu").
    public var smoothedNoiseSdHU: Double

    public var publishedCutoffs: [Cutoff]
    public var researchUseOnly: String
}
