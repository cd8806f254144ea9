import Foundation

/// What every derived object ctperf sends back shares: the study it joins (patient and study
/// attributes copied from the source) and the input images it was computed from.
///
/// Each writer puts the copied attributes first and its own attributes over them, so a copied
/// value never replaces what a writer sets (SOP, series, equipment, content date). Attributes of
/// the Frame of Reference module are not written: neither the Secondary Capture Image IOD
/// (PS3.3 A.8.1) nor the Enhanced SR IOD (PS3.3 A.35.2) includes that module.
public struct DerivedSeries: Sendable {
    /// Patient and study modules from the source (PatientName ... StudyInstanceUID, FrameOfReferenceUID).
    public var copied: [CopiedAttribute]
    /// Every input image: Source Image Sequence for SC, Current Requested Procedure Evidence for SR.
    public var sources: [SourceInstance]
    /// The new series the derived objects go to (a valid UID, PS3.5 9.1).
    public var seriesInstanceUID: String
    public var seriesNumber: Int
    /// e.g. "ctperf perfusion (research use)".
    public var seriesDescription: String
    /// SoftwareVersions (0018,1020), e.g. "ctperf 0.1.0".
    public var softwareVersion: String
    /// ContentDate/ContentTime, s since 1970 on the scanner's clock (as DicomDateTime counts).
    public var contentTime: Double

    public init(copied: [CopiedAttribute], sources: [SourceInstance], seriesInstanceUID: String,
                seriesNumber: Int, seriesDescription: String, softwareVersion: String, contentTime: Double) {
        self.copied = copied
        self.sources = sources
        self.seriesInstanceUID = seriesInstanceUID
        self.seriesNumber = seriesNumber
        self.seriesDescription = seriesDescription
        self.softwareVersion = softwareVersion
        self.contentTime = contentTime
    }

    /// Manufacturer (0008,0070) of every object ctperf writes.
    public static let manufacturer = "ctperf"

    /// Tags of the Frame of Reference module (PS3.3 C.7.4.1), absent from SC and Enhanced SR.
    static let frameOfReferenceTags: Set<Tag> = [Tags.frameOfReferenceUID, Tags.positionReferenceIndicator]

    /// Type 2 attributes of the Patient (PS3.3 C.7.1.1) and General Study (C.7.2.1) modules:
    /// present, possibly empty, in every derived object even when the source lacks them.
    static let typeTwoPatientStudyTags: [Tag] = [
        Tags.patientName, Tags.patientID, Tags.patientBirthDate, Tags.patientSex,
        Tags.studyDate, Tags.studyTime, Tags.referringPhysicianName, Tags.studyID, Tags.accessionNumber,
    ]

    /// The copied attributes a derived object carries, in writing order: empty type 2 defaults
    /// first, then the copied values (Frame of Reference module left out).
    var attributesToCopy: [(Tag, String)] {
        var out: [(Tag, String)] = Self.typeTwoPatientStudyTags.map { ($0, "") }
        for a in copied where !Self.frameOfReferenceTags.contains(a.tag) { out.append((a.tag, a.value)) }
        return out
    }

    /// The sources in their given order, each SOP instance once.
    var uniqueSources: [SourceInstance] {
        var seen = Set<String>()
        return sources.filter { seen.insert($0.sopInstanceUID).inserted }
    }

    /// StudyInstanceUID (0020,000D) from the copied attributes.
    var studyInstanceUID: String? { copied.last { $0.tag == Tags.studyInstanceUID }?.value }

    /// SpecificCharacterSet (0008,0005) from the copied attributes.
    var specificCharacterSet: String? { copied.last { $0.tag == Tags.specificCharacterSet }?.value }

    /// Check everything a writer relies on; throws a DICOMError naming the offending value.
    /// `texts` are ctperf's own free-text values (LT/ST/UT: comments, descriptions) with their names.
    func validate(texts: [(String, String)]) throws {
        guard let study = studyInstanceUID else {
            throw DICOMError(.missingAttribute, "derived series: no StudyInstanceUID (0020,000D) among the copied attributes; results must join the source study")
        }
        try Self.requireUID(study, "copied StudyInstanceUID")
        try Self.requireUID(seriesInstanceUID, "SeriesInstanceUID of the derived series")
        if study == seriesInstanceUID {
            throw DICOMError(.inconsistent, "derived series: SeriesInstanceUID equals the StudyInstanceUID '\(study)'")
        }
        guard !sources.isEmpty else {
            throw DICOMError(.missingAttribute, "derived series: no source instances; results must reference the images they were computed from")
        }
        for (i, s) in sources.enumerated() {
            try Self.requireUID(s.sopClassUID, "source \(i + 1) SOPClassUID")
            try Self.requireUID(s.sopInstanceUID, "source \(i + 1) SOPInstanceUID")
            try Self.requireUID(s.seriesInstanceUID, "source \(i + 1) SeriesInstanceUID")
            if s.seriesInstanceUID == seriesInstanceUID {
                throw DICOMError(.inconsistent, "derived series: source \(i + 1) is in the new series '\(seriesInstanceUID)'; a derived series must be new")
            }
        }
        guard (0...Int(Int32.max)).contains(seriesNumber) else {
            throw DICOMError(.inconsistent, "derived series: SeriesNumber \(seriesNumber) is not a non-negative IS value")
        }
        guard contentTime.isFinite, contentTime >= 0 else {
            throw DICOMError(.inconsistent, "derived series: content time \(contentTime) is not a time after 1970 in seconds")
        }
        let lines = [("series description", seriesDescription), ("software version", softwareVersion)]
        try Self.requireText(lines, characterSet: specificCharacterSet, singleLine: true)
        try Self.requireText(texts, characterSet: specificCharacterSet, singleLine: false)
    }

    /// A valid UID (PS3.5 9.1) or a DICOMError naming it.
    static func requireUID(_ uid: String, _ name: String) throws {
        guard UID.isValid(uid) else {
            throw DICOMError(.inconsistent, "invalid \(name) '\(uid)' (a UID is digits and dots, no leading zeros, at most 64 characters)")
        }
    }

    /// ctperf's own texts must be ASCII unless the copied character set is UTF-8 (ISO_IR 192), so
    /// that they read correctly under the SpecificCharacterSet copied from the source (PS3.5 6.1).
    /// Single-line values (LO, PS3.5 6.2) take no backslash (the value separator) and no control
    /// characters; free text (LT) may hold line breaks.
    static func requireText(_ texts: [(String, String)], characterSet: String?, singleLine: Bool) throws {
        let utf8 = (characterSet ?? "").split(separator: "\\").contains { $0.trimmingCharacters(in: .whitespaces) == "ISO_IR 192" }
        for (name, text) in texts {
            if !utf8 && !text.unicodeScalars.allSatisfy(\.isASCII) {
                throw DICOMError(.inconsistent, "\(name) '\(text)' is not ASCII and the study's SpecificCharacterSet is '\(characterSet ?? "")' (default repertoire); use ASCII text")
            }
            let allowed: Set<Unicode.Scalar> = singleLine ? [] : ["\n", "\r", "\t"]
            if text.unicodeScalars.contains(where: { $0.value < 0x20 && !allowed.contains($0) }) || (singleLine && text.contains("\\")) {
                throw DICOMError(.inconsistent, "\(name) '\(text)' contains a \(singleLine ? "backslash or " : "")control character")
            }
        }
    }
}
