@testable import DICOM
import Foundation
import TestSupport

/// A made-up source study for the SC and SR writer tests: patient/study attributes as
/// HeaderReader copies them, and three CT source images in one series.
enum DerivedObjectFixtures {
    static let studyInstanceUID = "2.25.111111111111111111111111111111111111"
    static let sourceSeriesUID = "2.25.222222222222222222222222222222222222"
    static let patientID = "CTPERF-TEST-0042"

    static func copied() -> [CopiedAttribute] {
        let values: [(Tag, String, String)] = [
            (Tags.specificCharacterSet, "SpecificCharacterSet", "ISO_IR 100"),
            (Tags.patientName, "PatientName", "Test^Perfusion"),
            (Tags.patientID, "PatientID", patientID),
            (Tags.patientBirthDate, "PatientBirthDate", "19500101"),
            (Tags.patientSex, "PatientSex", "F"),
            (Tags.patientAge, "PatientAge", "075Y"),
            (Tags.studyInstanceUID, "StudyInstanceUID", studyInstanceUID),
            (Tags.studyDate, "StudyDate", "20260314"),
            (Tags.studyTime, "StudyTime", "101500"),
            (Tags.studyID, "StudyID", "S1"),
            (Tags.accessionNumber, "AccessionNumber", "ACC123"),
            (Tags.referringPhysicianName, "ReferringPhysicianName", "Doe^John"),
            (Tags.studyDescription, "StudyDescription", "CT perfusion head"),
            (Tags.frameOfReferenceUID, "FrameOfReferenceUID", "2.25.333333333333333333333333333333333333"),
            (Tags.manufacturer, "Manufacturer", "Scanner Corp"),
            (Tags.institutionName, "InstitutionName", "General Hospital"),
        ]
        return values.map { CopiedAttribute(tag: $0.0, keyword: $0.1, value: $0.2) }
    }

    static func sources(_ n: Int = 3) -> [SourceInstance] {
        (1...n).map { i in
            SourceInstance(sopClassUID: SOPClass.ctImage, sopInstanceUID: "2.25.4444444444444444444444444444444\(i)",
                           seriesInstanceUID: sourceSeriesUID)
        }
    }

    static func series(sources: [SourceInstance] = sources()) -> DerivedSeries {
        DerivedSeries(copied: copied(), sources: sources, seriesInstanceUID: UID.generate(), seriesNumber: 9001,
                      seriesDescription: "ctperf perfusion (research use)", softwareVersion: "ctperf 0.1.0",
                      contentTime: 86_400 * 20_526 + 36_930.25)
    }

    /// dciodvfy's findings: lines starting "Error" (must be none) and "Warning" (allowed).
    static func dciodvfy(_ path: String) throws -> (errors: [String], warnings: [String], output: String) {
        let r = try ExternalTool.run(try ExternalTool.which("dciodvfy"), [path])
        let lines = r.combined.split(separator: "\n").map(String.init)
        return (lines.filter { $0.hasPrefix("Error") }, lines.filter { $0.hasPrefix("Warning") }, r.combined)
    }
}
