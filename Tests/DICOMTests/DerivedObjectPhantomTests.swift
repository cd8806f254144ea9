import Foundation
import Imaging
import Phantom
import TestSupport
import Testing
@testable import DICOM

/// SC and SR written for a real (phantom) acquisition, as `ctperf analyze` will: copied attributes
/// and sources straight from the loader, every input referenced, dciodvfy clean.
struct DerivedObjectPhantomTests {
    @Test(arguments: [StudyLayout.siemens, .canon, .enhanced])
    func derivedObjectsForAPhantomStudyPassDciodvfy(layout: StudyLayout) throws {
        try TemporaryDirectory.with("ctperf-derived") { dir throws in
            let req = PhantomRoundTripTests.request(layout, .explicit)
            let report = try StudyWriter.write(req, model: try PhantomOutput.model(for: req), to: dir)
            let scan = try FolderScanner.scan(root: report.dicomDirectory)
            let a = try #require(AcquisitionGrouper.group(scan.instances).acquisitions.first { $0.analysable })
            let loaded = try AcquisitionLoader.load(a, instances: scan.instances)
            let series = DerivedSeries(copied: loaded.copied, sources: loaded.sourceInstances, seriesInstanceUID: UID.generate(),
                                       seriesNumber: 9900, seriesDescription: "ctperf perfusion (research use)",
                                       softwareVersion: "ctperf 0.1.0", contentTime: loaded.firstFrameTime + 120)
            let out = dir + "/out"
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let rgb = SecondaryCaptureWriterTests.gradient(rows: 48, columns: 80)
            try SecondaryCaptureWriter.write(rgb: rgb, rows: 48, columns: 80, instanceNumber: 1, series: series,
                                             imageComments: "research use", to: out + "/sc.dcm")
            try MeasurementReportWriter.write(groups: MeasurementReportWriterTests.groups(), title: nil, series: series,
                                              observer: "ctperf", instanceNumber: 2, to: out + "/sr.dcm")
            for name in ["sc.dcm", "sr.dcm"] {
                let result = try DerivedObjectFixtures.dciodvfy(out + "/" + name)
                #expect(result.errors.isEmpty, "\(layout) \(name):\n\(result.output)")
                let file = try DicomFile(path: out + "/" + name)
                #expect(file.string(Tags.studyInstanceUID) == loaded.studyInstanceUID)
                #expect(file.string(Tags.patientID) == loaded.copied.first { $0.tag == Tags.patientID }?.value)
            }
            let sc = try DicomFile(path: out + "/sc.dcm")
            #expect(sc.itemCount(Tags.sourceImageSequence) == loaded.sourceInstances.count)
            #expect(sc.itemCount(Tags.referencedSeriesSequence) == Set(loaded.sourceInstances.map(\.seriesInstanceUID)).count)
            let sr = try DicomFile(path: out + "/sr.dcm")
            let evidenceSeries = [(Tags.currentRequestedProcedureEvidenceSequence, 0)]
            let referenced = (0..<sr.itemCount(Tags.referencedSeriesSequence, in: evidenceSeries)).reduce(0) { n, i in
                n + sr.itemCount(Tags.referencedSOPSequence, in: evidenceSeries + [(Tags.referencedSeriesSequence, i)])
            }
            #expect(referenced == loaded.sourceInstances.count)
        }
    }
}
