import DICOM
import Foundation

/// The named studies `ctperf phantom --case NAME` can write: the perfusion scenarios of the
/// model plus DICOM-level variations and negative cases.
public enum PhantomCase: String, CaseIterable, Sendable, Codable {
    case healthy
    case strokeLeft = "stroke-left"
    case strokeRight = "stroke-right"
    case largeCore = "large-core"
    case smallCore = "small-core"
    case pvt
    case motion
    case variableSampling = "variable-sampling"
    case midnight              // stroke-left acquired across 00:00 (times wrap, dates do not change)
    case tilt                  // stroke-left with 15 degree gantry tilt
    case singlePhase = "single-phase"  // plain head CT: one time point
    case cta                   // CT angiography: thin slices, one time point
    case incomplete            // perfusion whose last time points never arrived for half the slices
    case corrupt               // complete perfusion plus corrupt and unusable files
    case mr                    // an MR series (not CT)

    /// The perfusion scenario behind the case.
    public var scenario: PerfusionScenario {
        switch self {
        case .healthy, .singlePhase, .cta, .mr: return .healthy
        case .strokeLeft, .midnight, .tilt, .incomplete, .corrupt: return .strokeLeft
        case .strokeRight: return .strokeRight
        case .largeCore: return .largeCore
        case .smallCore: return .smallCore
        case .pvt: return .pvt
        case .motion: return .motion
        case .variableSampling: return .variableSampling
        }
    }

    /// One line for `ctperf phantom --help`.
    public var summary: String {
        switch self {
        case .healthy: return "normal brain, no lesion"
        case .strokeLeft: return "left MCA stroke: core ~20 mL, Tmax>6 s ~80 mL (default)"
        case .strokeRight: return "the same lesion in the right hemisphere"
        case .largeCore: return "large core (>= 70 mL) with prolonged venous transit"
        case .smallCore: return "small core with a large penumbra"
        case .pvt: return "left stroke with prolonged venous transit (sinus Tmax >= 10 s)"
        case .motion: return "left stroke with in-plane head motion up to 3 mm"
        case .variableSampling: return "left stroke sampled at 1.5 s, then 3 s"
        case .midnight: return "left stroke acquired across midnight"
        case .tilt: return "left stroke with 15 degree gantry tilt"
        case .singlePhase: return "negative: single-phase plain head CT"
        case .cta: return "negative: CT angiography (thin slices, one time point)"
        case .incomplete: return "negative: perfusion with missing time points"
        case .corrupt: return "complete perfusion plus corrupt, unsupported and inconsistent files"
        case .mr: return "negative: an MR series"
        }
    }
}

/// DICOM organisation of the written study (vendor-like export layouts).
public enum StudyLayout: String, CaseIterable, Sendable, Codable {
    case siemens, ge, philips, canon, enhanced
}

/// Transfer syntaxes the phantom writes.
public enum PhantomTransferSyntax: String, CaseIterable, Sendable, Codable {
    case explicit, implicit
    case jpegLossless = "jpeg-lossless"        // 1.2.840.10008.1.2.4.70 (SV1)
    case jpegLossless57 = "jpeg-lossless-57"   // 1.2.840.10008.1.2.4.57
    case jpegLS = "jpeg-ls"
    case rle

    public var uid: String {
        switch self {
        case .explicit: return TransferSyntax.explicitLittle
        case .implicit: return TransferSyntax.implicitLittle
        case .jpegLossless: return TransferSyntax.jpegLossless70
        case .jpegLossless57: return TransferSyntax.jpegLossless57
        case .jpegLS: return TransferSyntax.jpegLSLossless
        case .rle: return TransferSyntax.rle
        }
    }
}
