@testable import DICOM
import Foundation
import Testing
import TestSupport

/// Secondary Capture output (PS3.3 A.8.1): tags, pixels and dciodvfy.
struct SecondaryCaptureWriterTests {
    /// A 64 x 96 gradient: R along columns, G along rows, B constant.
    static func gradient(rows: Int = 64, columns: Int = 96) -> [UInt8] {
        var rgb = [UInt8](repeating: 0, count: rows * columns * 3)
        for r in 0..<rows {
            for c in 0..<columns {
                let i = (r * columns + c) * 3
                rgb[i] = UInt8(c * 255 / (columns - 1))
                rgb[i + 1] = UInt8(r * 255 / (rows - 1))
                rgb[i + 2] = 77
            }
        }
        return rgb
    }

    @Test func writesReadableSecondaryCapture() throws {
        try TemporaryDirectory.with("ctperf-sc") { dir in
            let series = DerivedObjectFixtures.series()
            let path = dir + "/summary.dcm"
            let rgb = Self.gradient()
            let sop = try SecondaryCaptureWriter.write(rgb: rgb, rows: 64, columns: 96, instanceNumber: 1, series: series,
                                                       imageComments: "ctperf summary page", to: path)
            #expect(UID.isValid(sop) && sop.hasPrefix("2.25."))

            let file = try DicomFile(path: path)
            #expect(file.string(Tags.sopClassUID) == SOPClass.secondaryCapture)
            #expect(file.string(Tags.sopInstanceUID) == sop)
            #expect(file.string(Tags.studyInstanceUID) == DerivedObjectFixtures.studyInstanceUID)
            #expect(file.string(Tags.seriesInstanceUID) == series.seriesInstanceUID)
            #expect(file.string(Tags.patientID) == DerivedObjectFixtures.patientID)
            #expect(file.string(Tags.patientName) == "Test^Perfusion")
            #expect(file.string(Tags.accessionNumber) == "ACC123")
            #expect(file.string(Tags.frameOfReferenceUID) == nil)
            #expect(file.string(Tags.modality) == "CT")
            #expect(file.strings(Tags.imageType) == ["DERIVED", "SECONDARY"])
            #expect(file.string(Tags.conversionType) == "WSD")
            #expect(file.string(Tags.burnedInAnnotation) == "YES")
            #expect(file.string(Tags.bodyPartExamined) == "HEAD")
            #expect(file.string(Tags.manufacturer) == "ctperf")
            #expect(file.string(Tags.softwareVersions) == "ctperf 0.1.0")
            #expect(file.string(Tags.contentDate) == "20260314")
            #expect(file.string(Tags.contentTime)?.hasPrefix("101530.25") == true)
            #expect(file.int(Tags.seriesNumber) == 9001)
            #expect(file.int(Tags.instanceNumber) == 1)
            #expect(file.string(Tags.photometricInterpretation) == "RGB")
            #expect(file.int(Tags.samplesPerPixel) == 3)
            #expect(file.int(Tags.planarConfiguration) == 0)
            #expect(file.int(Tags.bitsAllocated) == 8)
            #expect(file.int(Tags.rows) == 64 && file.int(Tags.columns) == 96)
            #expect(file.string(Tags.imageComments) == "ctperf summary page")
            #expect(file.string(Tags.derivationDescription)?.contains("3 source images") == true)

            #expect(file.itemCount(Tags.sourceImageSequence) == 3)
            for (i, source) in series.sources.enumerated() {
                #expect(file.string(Tags.referencedSOPClassUID, in: [(Tags.sourceImageSequence, i)]) == source.sopClassUID)
                #expect(file.string(Tags.referencedSOPInstanceUID, in: [(Tags.sourceImageSequence, i)]) == source.sopInstanceUID)
                #expect(file.string(Tags.codeValue, in: [(Tags.sourceImageSequence, i), (Tags.purposeOfReferenceCodeSequence, 0)]) == "121322")
            }
            #expect(file.itemCount(Tags.referencedSeriesSequence) == 1)
            #expect(file.itemCount(Tags.referencedInstanceSequence, in: [(Tags.referencedSeriesSequence, 0)]) == 3)

            #expect(try file.pixelBytes() == rgb)
            // Nothing but the file itself is left in the directory (no temporary files).
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["summary.dcm"])
        }
    }

    @Test func passesDciodvfy() throws {
        try TemporaryDirectory.with("ctperf-sc") { dir in
            let path = dir + "/map.dcm"
            try SecondaryCaptureWriter.write(rgb: Self.gradient(), rows: 64, columns: 96, instanceNumber: 2,
                                             series: DerivedObjectFixtures.series(), imageComments: nil, to: path)
            let result = try DerivedObjectFixtures.dciodvfy(path)
            #expect(result.errors.isEmpty, "dciodvfy \(path):\n\(result.output)")
        }
    }
}
