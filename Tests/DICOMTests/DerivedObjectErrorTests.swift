@testable import DICOM
import Foundation
import Testing
import TestSupport

/// Bad input and unwritable destinations: a DICOMError with a message, and never a file (partial
/// or temporary) left under the final name or beside it.
struct DerivedObjectErrorTests {
    static let rgb = [UInt8](repeating: 128, count: 8 * 8 * 3)

    static func badSources() -> [SourceInstance] {
        var sources = DerivedObjectFixtures.sources()
        sources[1].sopInstanceUID = "1.2.03.abc"
        return sources
    }

    static func writeSC(_ series: DerivedSeries, to path: String) throws {
        try SecondaryCaptureWriter.write(rgb: rgb, rows: 8, columns: 8, instanceNumber: 1, series: series,
                                         imageComments: nil, to: path)
    }

    static func writeSR(_ series: DerivedSeries, groups: [MeasurementGroup] = MeasurementReportWriterTests.groups(),
                        to path: String) throws {
        try MeasurementReportWriter.write(groups: groups, title: nil, series: series, observer: "ctperf",
                                          instanceNumber: 1, to: path)
    }

    /// The error thrown by `body`, which must be a DICOMError.
    static func dicomError(_ body: () throws -> Void) -> DICOMError? {
        do { try body() } catch let e as DICOMError { return e } catch { Issue.record("not a DICOMError: \(error)") }
        return nil
    }

    static func listing(_ dir: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
    }

    @Test func invalidSourceUIDIsRejectedBeforeWriting() throws {
        try TemporaryDirectory.with("ctperf-bad") { dir throws in
            let series = DerivedObjectFixtures.series(sources: Self.badSources())
            let sc = Self.dicomError { try Self.writeSC(series, to: dir + "/sc.dcm") }
            #expect(sc?.code == .inconsistent)
            #expect(sc?.message.contains("source 2 SOPInstanceUID '1.2.03.abc'") == true, "\(String(describing: sc))")
            let sr = Self.dicomError { try Self.writeSR(series, to: dir + "/sr.dcm") }
            #expect(sr?.code == .inconsistent)
            #expect(sr?.message.contains("source 2 SOPInstanceUID '1.2.03.abc'") == true, "\(String(describing: sr))")
            #expect(try Self.listing(dir) == [])
        }
    }

    @Test func missingStudyAndBadSeriesAreRejected() throws {
        try TemporaryDirectory.with("ctperf-bad") { dir throws in
            var noStudy = DerivedObjectFixtures.series()
            noStudy.copied.removeAll { $0.tag == Tags.studyInstanceUID }
            let e1 = Self.dicomError { try Self.writeSC(noStudy, to: dir + "/a.dcm") }
            #expect(e1?.code == .missingAttribute && e1?.message.contains("StudyInstanceUID") == true)

            var badSeries = DerivedObjectFixtures.series()
            badSeries.seriesInstanceUID = "2.25.x"
            let e2 = Self.dicomError { try Self.writeSR(badSeries, to: dir + "/b.dcm") }
            #expect(e2?.message.contains("invalid SeriesInstanceUID of the derived series '2.25.x'") == true, "\(String(describing: e2))")

            let e3 = Self.dicomError {
                try SecondaryCaptureWriter.write(rgb: [1, 2, 3], rows: 8, columns: 8, instanceNumber: 1,
                                                 series: DerivedObjectFixtures.series(), imageComments: nil, to: dir + "/c.dcm")
            }
            #expect(e3?.message.contains("3 bytes for 8 x 8 RGB (expected 192)") == true, "\(String(describing: e3))")
            #expect(try Self.listing(dir) == [])
        }
    }

    @Test func badReportContentIsRejected() throws {
        try TemporaryDirectory.with("ctperf-bad") { dir throws in
            let series = DerivedObjectFixtures.series()
            var groups = MeasurementReportWriterTests.groups()
            groups[0].measurements[0].value = .nan
            let e1 = Self.dicomError { try Self.writeSR(series, groups: groups, to: dir + "/a.dcm") }
            #expect(e1?.message.contains("Volume = nan is not a finite number") == true, "\(String(describing: e1))")

            groups = MeasurementReportWriterTests.groups()
            groups[1].trackingUID = groups[0].trackingUID
            let e2 = Self.dicomError { try Self.writeSR(series, groups: groups, to: dir + "/b.dcm") }
            #expect(e2?.message.contains("used by more than one group") == true, "\(String(describing: e2))")

            groups = MeasurementReportWriterTests.groups()
            groups[0].finding = CodedConcept("X", "99OTHER", "Undeclared")
            let e3 = Self.dicomError { try Self.writeSR(series, groups: groups, to: dir + "/c.dcm") }
            #expect(e3?.message.contains("private scheme 99OTHER") == true, "\(String(describing: e3))")

            groups = MeasurementReportWriterTests.groups()
            groups[1].finding = CtperfCodingScheme.concept("LONG", String(repeating: "m", count: 80))
            let e4 = Self.dicomError { try Self.writeSR(series, groups: groups, to: dir + "/d.dcm") }
            #expect(e4?.message.contains("is too long") == true, "\(String(describing: e4))")
            #expect(try Self.listing(dir) == [])
        }
    }

    /// What DCMTK itself refuses comes back through the C boundary as a DICOMError with its reason.
    @Test func shimReportsDCMTKRefusals() throws {
        let document = try MeasurementReportDocument(title: MeasurementReportWriter.defaultTitle)
        let volume = MeasurementReportWriterTests.volume, ml = MeasurementReportWriterTests.ml
        let e1 = Self.dicomError { try document.addMeasurement(concept: volume, value: "1", unit: ml, derivation: nil, equivalentMeaning: nil) }
        #expect(e1?.code == .writeFailed && e1?.message.contains("no measurement group") == true, "\(String(describing: e1))")
        try document.addGroup(trackingIdentifier: "core", trackingUID: UID.generate(),
                              finding: CtperfCodingScheme.concept("CORE", "Ischemic core"), findingSite: nil)
        let e2 = Self.dicomError { try document.addMeasurement(concept: volume, value: "12,5", unit: ml, derivation: nil, equivalentMeaning: nil) }
        #expect(e2?.code == .writeFailed && e2?.message.contains("measurement") == true, "\(String(describing: e2))")
        let e3 = Self.dicomError { try document.save(path: "/nonexistent-ctperf-dir/report.dcm") }
        #expect(e3?.code == .writeFailed && e3?.message.contains("not a valid TID 1500 document") == true, "\(String(describing: e3))")
    }

    @Test func unwritablePathThrowsAndLeavesNothing() throws {
        try TemporaryDirectory.with("ctperf-bad") { dir throws in
            let series = DerivedObjectFixtures.series()
            // The parent directory does not exist.
            let e1 = Self.dicomError { try Self.writeSC(series, to: dir + "/missing/sc.dcm") }
            #expect(e1?.code == .writeFailed && e1?.message.contains("missing") == true, "\(String(describing: e1))")
            let e2 = Self.dicomError { try Self.writeSR(series, to: dir + "/missing/sr.dcm") }
            #expect(e2?.code == .writeFailed && e2?.message.contains("missing") == true, "\(String(describing: e2))")
            // The final name is a directory: saving succeeds, the rename fails, the temporary file goes.
            try FileManager.default.createDirectory(atPath: dir + "/taken.dcm/inner", withIntermediateDirectories: true)
            let e3 = Self.dicomError { try Self.writeSR(series, to: dir + "/taken.dcm") }
            #expect(e3?.code == .writeFailed && e3?.message.contains("rename") == true, "\(String(describing: e3))")
            let e4 = Self.dicomError { try Self.writeSC(series, to: dir + "/taken.dcm") }
            #expect(e4?.code == .writeFailed && e4?.message.contains("rename") == true, "\(String(describing: e4))")
            #expect(try Self.listing(dir) == ["taken.dcm"])
            #expect(try Self.listing(dir + "/taken.dcm") == ["inner"])
        }
    }

    @Test func failedRewriteKeepsThePreviousFile() throws {
        try TemporaryDirectory.with("ctperf-bad") { dir throws in
            let path = dir + "/sc.dcm"
            let first = try SecondaryCaptureWriter.write(rgb: Self.rgb, rows: 8, columns: 8, instanceNumber: 1,
                                                         series: DerivedObjectFixtures.series(), imageComments: nil, to: path)
            let e = Self.dicomError { try Self.writeSC(DerivedObjectFixtures.series(sources: Self.badSources()), to: path) }
            #expect(e != nil)
            #expect(try DicomFile(path: path).string(Tags.sopInstanceUID) == first)
            #expect(try Self.listing(dir) == ["sc.dcm"])
        }
    }
}
