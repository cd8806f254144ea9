@testable import DICOM
import Foundation
import Testing
import TestSupport

/// TID 1500 Measurement Report output (PS3.16): dciodvfy, dsrdump, copied attributes, evidence.
struct MeasurementReportWriterTests {
    static let ml = CodedConcept("ml", "UCUM", "milliliter")
    static let cbfUnit = CodedConcept("ml/[100]g/min", "UCUM", "milliliter per 100 gram per minute")
    static let ratio = CodedConcept("{ratio}", "UCUM", "ratio")
    static let volume = CodedConcept("118565006", "SCT", "Volume")
    static let brain = CodedConcept("12738006", "SCT", "Brain")

    /// Two groups: the ischemic core (a volume and a mismatch ratio, private finding) and CBF.
    static func groups() -> [MeasurementGroup] {
        [
            MeasurementGroup(
                trackingIdentifier: "Ischemic core", trackingUID: UID.generate(),
                finding: CtperfCodingScheme.concept("CORE", "Ischemic core"), findingSite: brain,
                measurements: [
                    Measurement(concept: volume, value: 19.2, unit: ml,
                                description: "Volume of tissue with rCBF < 30% and Tmax > 6 s"),
                    Measurement(concept: CtperfCodingScheme.concept("MISMATCHRATIO", "Mismatch ratio"), value: 4.25,
                                unit: ratio, description: "V(Tmax > 6 s) / V(core)"),
                ],
                qualitative: [QualitativeEvaluation(concept: CtperfCodingScheme.concept("DEFUSE3", "DEFUSE-3 target mismatch"),
                                                    value: CodedConcept("373066001", "SCT", "Yes"))]),
            MeasurementGroup(
                trackingIdentifier: "Reference tissue", trackingUID: UID.generate(),
                finding: CtperfCodingScheme.concept("REFTISSUE", "Contralateral normal tissue"), findingSite: brain,
                measurements: [
                    Measurement(concept: CodedConcept("126390", "DCM", "Absolute Regional Blood Flow"), value: 45.1,
                                unit: cbfUnit, derivation: CodedConcept("373098007", "SCT", "Mean")),
                ]),
        ]
    }

    static func write(_ dir: String, name: String = "report.dcm") throws -> (path: String, sop: String, series: DerivedSeries) {
        let series = DerivedObjectFixtures.series()
        let path = dir + "/" + name
        let sop = try MeasurementReportWriter.write(groups: groups(), title: nil, series: series, observer: "ctperf",
                                                    instanceNumber: 7, to: path)
        return (path, sop, series)
    }

    @Test func reportPassesDciodvfy() throws {
        try TemporaryDirectory.with("ctperf-sr") { dir in
            let (path, _, _) = try Self.write(dir)
            let result = try DerivedObjectFixtures.dciodvfy(path)
            #expect(result.errors.isEmpty, "dciodvfy \(path):\n\(result.output)")
        }
    }

    @Test func dsrdumpShowsValuesUnitsAndConcepts() throws {
        try TemporaryDirectory.with("ctperf-sr") { dir in
            let (path, _, _) = try Self.write(dir)
            let dump = try ExternalTool.runChecked(try ExternalTool.which("dsrdump"), ["+Pc", "+Pl", "+Pu", path])
            for needle in ["Enhanced SR", "Imaging Measurement Report", "Imaging Measurements", "Measurement Group",
                           "\"19.2\" (ml,UCUM,\"milliliter\")", "\"45.1\" (ml/[100]g/min,UCUM,",
                           "\"4.25\" ({ratio},UCUM,\"ratio\")", "(CORE,99CTPERF,\"Ischemic core\")",
                           "(126390,DCM,\"Absolute Regional Blood Flow\")", "(118565006,SCT,\"Volume\")",
                           "Ischemic core", "rCBF < 30% and Tmax > 6 s", "(373098007,SCT,\"Mean\")",
                           "(39142-5,LN,\"CT perfusion head with contrast IV\")", "Device", "Completion Flag",
                           "COMPLETE"] {
                #expect(dump.contains(needle), "dsrdump lacks \(needle):\n\(dump)")
            }
            // The Image Library references every source image.
            for source in DerivedObjectFixtures.sources() {
                #expect(dump.contains(source.sopInstanceUID), "dsrdump lacks source \(source.sopInstanceUID)")
            }
        }
    }

    @Test func copiesStudyAndListsEvidence() throws {
        try TemporaryDirectory.with("ctperf-sr") { dir in
            let (path, sop, series) = try Self.write(dir)
            let file = try DicomFile(path: path)
            #expect(file.string(Tags.sopClassUID) == SOPClass.enhancedSR)
            #expect(file.string(Tags.sopInstanceUID) == sop && sop.hasPrefix("2.25."))
            #expect(file.string(Tags.modality) == "SR")
            #expect(file.string(Tags.studyInstanceUID) == DerivedObjectFixtures.studyInstanceUID)
            #expect(file.string(Tags.seriesInstanceUID) == series.seriesInstanceUID)
            #expect(file.string(Tags.patientID) == DerivedObjectFixtures.patientID)
            #expect(file.string(Tags.patientName) == "Test^Perfusion")
            #expect(file.string(Tags.accessionNumber) == "ACC123")
            #expect(file.string(Tags.specificCharacterSet) == "ISO_IR 100")
            #expect(file.string(Tags.frameOfReferenceUID) == nil)
            #expect(file.string(Tags.manufacturer) == "ctperf")
            #expect(file.string(Tags.softwareVersions) == "ctperf 0.1.0")
            #expect(file.int(Tags.seriesNumber) == 9001)
            #expect(file.int(Tags.instanceNumber) == 7)
            #expect(file.string(Tags.contentDate) == "20260314")
            #expect(file.string(Tags.completionFlag) == "COMPLETE")

            // Current Requested Procedure Evidence: one study, one series, the three sources.
            let evidence = Tags.currentRequestedProcedureEvidenceSequence
            #expect(file.itemCount(evidence) == 1)
            #expect(file.string(Tags.studyInstanceUID, in: [(evidence, 0)]) == DerivedObjectFixtures.studyInstanceUID)
            #expect(file.itemCount(Tags.referencedSeriesSequence, in: [(evidence, 0)]) == 1)
            let seriesItem = [(evidence, 0), (Tags.referencedSeriesSequence, 0)]
            #expect(file.string(Tags.seriesInstanceUID, in: seriesItem) == DerivedObjectFixtures.sourceSeriesUID)
            let sopPath = seriesItem + [(Tags.referencedSOPSequence, 0)]
            #expect(file.itemCount(Tags.referencedSOPSequence, in: seriesItem) == 3)
            let listed = (0..<3).compactMap { i in
                file.string(Tags.referencedSOPInstanceUID, in: seriesItem + [(Tags.referencedSOPSequence, i)])
            }
            #expect(Set(listed) == Set(series.sources.map(\.sopInstanceUID)))
            #expect(file.string(Tags.referencedSOPClassUID, in: sopPath) == SOPClass.ctImage)

            // The private scheme is declared.
            let schemes = file.itemCount(Tags.codingSchemeIdentificationSequence)
            let declared = (0..<schemes).map { i -> (String?, String?, String?) in
                let p = [(Tags.codingSchemeIdentificationSequence, i)]
                return (file.string(Tags.codingSchemeDesignator, in: p), file.string(Tags.codingSchemeName, in: p),
                        file.string(Tags.codingSchemeResponsibleOrganization, in: p))
            }
            #expect(declared.contains { $0.0 == "99CTPERF" && $0.1 == "ctperf perfusion concepts" && $0.2 != nil },
                    "declared schemes: \(declared)")

            // No UIDs from DCMTK's root in the dataset (only the implementation UID in the meta header).
            let dump = try ExternalTool.runChecked(try ExternalTool.which("dcmdump"), ["+P", "0008,0018", "+P", "0020,000e",
                                                                                       "+P", "0020,000d", "+P", "0008,0014", path])
            #expect(!dump.contains("1.2.276.0.7230010"), "DCMTK-root UID in the dataset:\n\(dump)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["report.dcm"])
        }
    }

    @Test func deviceObserverUIDIsStablePerName() {
        let a = MeasurementReportWriter.deviceObserverUID("ctperf")
        #expect(a == MeasurementReportWriter.deviceObserverUID("ctperf"))
        #expect(a != MeasurementReportWriter.deviceObserverUID("ctperf-node-2"))
        #expect(UID.isValid(a) && a.hasPrefix("2.25."))
    }
}
