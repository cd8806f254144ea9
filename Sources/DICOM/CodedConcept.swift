/// A coded concept (PS3.3 8.8 Code Sequence Macro): code value, coding scheme designator and
/// code meaning, e.g. ("126390", "DCM", "Absolute Regional Blood Flow") or a UCUM unit
/// ("ml/[100]g/min", "UCUM", "ml/100g/min").
public struct CodedConcept: Sendable, Codable, Equatable, Hashable {
    public var value: String
    public var scheme: String
    public var meaning: String

    public init(value: String, scheme: String, meaning: String) {
        self.value = value
        self.scheme = scheme
        self.meaning = meaning
    }

    public init(_ value: String, _ scheme: String, _ meaning: String) {
        self.init(value: value, scheme: scheme, meaning: meaning)
    }

    /// Whether the designator names a private or local coding scheme ("99..." or "L", PS3.16 8.1).
    public var isPrivateScheme: Bool { scheme.hasPrefix("99") || scheme == "L" }
}

/// ctperf's private coding scheme for concepts without a standard code (core, penumbra,
/// mismatch, HIR, PVT ...), declared in the Coding Scheme Identification Sequence (0008,0110,
/// PS3.3 C.12.1) of every SR that uses it.
public enum CtperfCodingScheme {
    public static let designator = "99CTPERF"
    public static let name = "ctperf perfusion concepts"
    public static let responsibleOrganization = "ctperf open-source project"

    /// A concept in the ctperf scheme.
    public static func concept(_ value: String, _ meaning: String) -> CodedConcept {
        CodedConcept(value: value, scheme: designator, meaning: meaning)
    }
}

/// One numeric measurement of a TID 1501 group (PS3.16 TID 300): what was measured, its value
/// in a UCUM unit, and optionally how it was derived (CID 7464, e.g. SCT 373098007 "Mean") and a
/// human-readable meaning, written as TID 300 "Equivalent Meaning of Concept Name" (row 16) —
/// the place to state the thresholds behind a volume ("rCBF < 30% and Tmax > 6 s").
public struct Measurement: Sendable {
    public var concept: CodedConcept
    public var value: Double
    public var unit: CodedConcept
    public var derivation: CodedConcept?
    public var description: String?

    public init(concept: CodedConcept, value: Double, unit: CodedConcept,
                derivation: CodedConcept? = nil, description: String? = nil) {
        self.concept = concept
        self.value = value
        self.unit = unit
        self.derivation = derivation
        self.description = description
    }
}

/// A coded qualitative evaluation of a TID 1501 group (row 12), e.g. "Target mismatch" = "Yes".
public struct QualitativeEvaluation: Sendable, Equatable {
    public var concept: CodedConcept
    public var value: CodedConcept

    public init(concept: CodedConcept, value: CodedConcept) {
        self.concept = concept
        self.value = value
    }
}

/// One Measurement Group (PS3.16 TID 1501) under Imaging Measurements: identified by a tracking
/// identifier and UID, about one finding (optionally at a finding site), holding numeric
/// measurements and coded qualitative evaluations.
public struct MeasurementGroup: Sendable {
    public var trackingIdentifier: String
    public var trackingUID: String
    public var finding: CodedConcept
    public var findingSite: CodedConcept?
    public var measurements: [Measurement]
    public var qualitative: [QualitativeEvaluation]

    public init(trackingIdentifier: String, trackingUID: String, finding: CodedConcept,
                findingSite: CodedConcept? = nil, measurements: [Measurement],
                qualitative: [QualitativeEvaluation] = []) {
        self.trackingIdentifier = trackingIdentifier
        self.trackingUID = trackingUID
        self.finding = finding
        self.findingSite = findingSite
        self.measurements = measurements
        self.qualitative = qualitative
    }
}
