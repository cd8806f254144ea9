import Foundation

/// Quality flags: reasons to distrust a result, each with its number and limit (DESIGN section 5).
enum Quality {
    static let motionFlagMM = 1.0
    static let minimumFrames = 15, minimumBaselineFrames = 2
    /// Truncated bolus: the brain curve's last value above this fraction of its peak, or the VOF's.
    static let truncatedBrainFraction = 0.3, truncatedVenousFraction = 0.5
    static let poorAIFPeakHU = 150.0, poorAIFFitRMS = 0.1, poorAIFScale = 2.0, poorAIFVoxels = 3
    static let lowCNR = 2.0
    /// Lesion at the slab edge: hypoperfused volume in the first or last slice above this, mL.
    static let slabEdgeML = 1.0

    struct Inputs {
        var motionMaxMM: Double
        var correctedFrames: Int
        var frames: Int
        var baselineFrames: Int
        var brainCurve: [Double]
        var vascular: VascularCurves
        var contrastToNoise: Double
        var edgeHypoperfusedML: Double
    }

    static func flags(_ x: Inputs) -> [QualityFlag] {
        var flags: [QualityFlag] = []
        func f(_ v: Double) -> String { String(format: "%.2f", v) }
        if x.motionMaxMM > motionFlagMM {
            flags.append(.init(code: .motion, message:
                "head motion up to \(f(x.motionMaxMM)) mm (limit \(f(motionFlagMM)) mm); \(x.correctedFrames) frames corrected in-plane, through-plane motion is not corrected"))
        }
        if x.frames < minimumFrames || x.baselineFrames < minimumBaselineFrames {
            flags.append(.init(code: .tooFewTimePoints, message:
                "\(x.frames) time points (want >= \(minimumFrames)) with \(x.baselineFrames) before the bolus (want >= \(minimumBaselineFrames))"))
        }
        if let peak = x.brainCurve.max(), peak > 0, let last = x.brainCurve.last, last > truncatedBrainFraction * peak {
            flags.append(.init(code: .truncatedBolus, message:
                "the brain curve ends at \(f(last / peak * 100)) % of its peak (limit \(f(truncatedBrainFraction * 100)) %): the scan stops before the bolus has passed"))
        } else if let peak = x.vascular.vofMeasured.max(), peak > 0, let last = x.vascular.vofMeasured.last,
                  last > truncatedVenousFraction * peak {
            flags.append(.init(code: .truncatedBolus, message:
                "the venous curve ends at \(f(last / peak * 100)) % of its peak (limit \(f(truncatedVenousFraction * 100)) %): the scan stops before the bolus has passed"))
        }
        var aifProblems: [String] = []
        let aifPeak = x.vascular.aifMeasured.max() ?? 0
        if aifPeak < poorAIFPeakHU { aifProblems.append("peak \(f(aifPeak)) HU < \(f(poorAIFPeakHU)) HU") }
        if x.vascular.aifFitRelativeRMS > poorAIFFitRMS {
            aifProblems.append("gamma-variate fit residual \(f(x.vascular.aifFitRelativeRMS * 100)) % of the peak > \(f(poorAIFFitRMS * 100)) %")
        }
        if x.vascular.partialVolumeScale > poorAIFScale {
            aifProblems.append("partial-volume scale \(f(x.vascular.partialVolumeScale)) > \(f(poorAIFScale))")
        }
        if x.vascular.aifVoxels.count < poorAIFVoxels { aifProblems.append("only \(x.vascular.aifVoxels.count) arterial voxels") }
        if x.vascular.vofVoxels.isEmpty { aifProblems.append("no venous output found, so no partial-volume correction") }
        if !aifProblems.isEmpty {
            flags.append(.init(code: .poorAIF, message: "arterial input: " + aifProblems.joined(separator: "; ")))
        }
        if x.contrastToNoise < lowCNR {
            flags.append(.init(code: .lowContrastToNoise, message:
                "brain enhancement / noise = \(f(x.contrastToNoise)) (want >= \(f(lowCNR)))"))
        }
        if x.edgeHypoperfusedML > slabEdgeML {
            flags.append(.init(code: .lesionAtSlabEdge, message:
                "\(f(x.edgeHypoperfusedML)) mL with Tmax above the threshold in the first or last slice (limit \(f(slabEdgeML)) mL): the lesion may extend beyond the slab"))
        }
        return flags
    }

    /// Robust noise SD of curves: median |y[n] - y[n-1]| / (0.6745 * sqrt 2) over all rows and frames.
    static func noiseSD(_ curves: CurveSet) -> Double {
        guard curves.count > 0, curves.nt > 1 else { return 0 }
        var differences: [Float] = []
        let rowStep = max(1, curves.count / 5_000)
        for r in Swift.stride(from: 0, to: curves.count, by: rowStep) {
            let base = r * curves.stride
            for n in 1..<curves.nt { differences.append(abs(curves.values[base + n] - curves.values[base + n - 1])) }
        }
        differences.sort()
        return Double(differences[differences.count / 2]) / (0.6745 * 2.0.squareRoot())
    }
}
