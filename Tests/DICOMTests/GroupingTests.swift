import Imaging
import Phantom
import Testing
@testable import DICOM

/// Pure grouping logic on synthetic header records (no files).
struct GroupingTests {
    static let axial = [1.0, 0, 0, 0, 1, 0]

    static func header(series: String, sop: String, z: Double, time: Double, study: String = "1.2.3",
                       sopClass: String = SOPClass.ctImage, rows: Int = 64, orientation: [Double] = axial,
                       original: Bool = true) -> InstanceHeader {
        let frame = FrameHeader(frameIndex: 0, positionLPS: Vector3(0, 0, z), orientation: orientation, pixelSpacing: [0.5, 0.5],
                                time: time, timeSource: .acquisitionDateAndTime,
                                rescaleSlope: 1, rescaleIntercept: -1024, original: original)
        return InstanceHeader(path: "/x/\(sop)", sopClassUID: sopClass, sopInstanceUID: sop, studyInstanceUID: study,
                              seriesInstanceUID: series, frameOfReferenceUID: "1.2.9", modality: SOPClass.isCT(sopClass) ? "CT" : "MR",
                              imageType: [original ? "ORIGINAL" : "DERIVED"], seriesNumber: 1, instanceNumber: nil, seriesDescription: nil,
                              manufacturer: nil, transferSyntaxUID: TransferSyntax.explicitLittle, rows: rows, columns: 64,
                              numberOfFrames: 1, sliceThicknessMM: 5, gantryTiltDegrees: 0, convolutionKernel: nil,
                              isImage: true, frames: SOPClass.isCT(sopClass) ? [frame] : [], copied: [])
    }

    /// nz slices x nt time points at `interval` s, one series (or one per time point).
    static func dynamic(nz: Int = 4, nt: Int = 12, interval: Double = 3, t0: Double = 1000,
                        seriesPerTimePoint: Bool = false) -> [InstanceHeader] {
        var out: [InstanceHeader] = []
        for t in 0..<nt {
            for k in 0..<nz {
                out.append(header(series: seriesPerTimePoint ? "1.2.5.\(t)" : "1.2.5", sop: "1.2.6.\(t).\(k)",
                                  z: Double(k) * 5, time: t0 + Double(t) * interval))
            }
        }
        var rng = SeededRandom(seed: UInt64(nz * 1000 + nt))   // any order must do; a fixed one reproduces
        return out.shuffled(using: &rng)
    }

    @Test func singleSeriesPerfusionIsCompleteAndPerfusion() {
        let r = AcquisitionGrouper.group(Self.dynamic())
        #expect(r.acquisitions.count == 1)
        let a = r.acquisitions[0]
        #expect(a.sliceCount == 4)
        #expect(a.timePointCount == 12)
        #expect(a.perfusion && a.complete)
        #expect(a.layout == .singleSeries)
        #expect(a.timePointTimes.first == 1000 && a.timePointTimes.last == 1033)
        #expect(a.slicePositionsMM == [0, 5, 10, 15])
    }

    @Test func seriesPerTimePointIsMergedIntoOneAcquisition() {
        let r = AcquisitionGrouper.group(Self.dynamic(seriesPerTimePoint: true))
        #expect(r.acquisitions.count == 1)
        #expect(r.acquisitions[0].layout == .seriesPerTimePoint)
        #expect(r.acquisitions[0].seriesInstanceUIDs.count == 12)
        #expect(r.acquisitions[0].analysable)
    }

    @Test func tooFewTimePointsOrTooShortIsNotPerfusion() {
        let few = AcquisitionGrouper.group(Self.dynamic(nt: 5, interval: 10)).acquisitions[0]
        #expect(!few.perfusion)
        #expect(few.notPerfusionReasons.contains { $0.contains("5 time points") })
        let short = AcquisitionGrouper.group(Self.dynamic(nt: 12, interval: 1)).acquisitions[0]
        #expect(!short.perfusion)
        #expect(short.notPerfusionReasons.contains { $0.contains("span 11.0 s") })
    }

    @Test func missingFramesMakeItIncompleteWithACount() {
        var hs = Self.dynamic()
        hs.removeAll { $0.sopInstanceUID == "1.2.6.11.3" || $0.sopInstanceUID == "1.2.6.10.3" }
        let a = AcquisitionGrouper.group(hs).acquisitions[0]
        #expect(a.perfusion)
        #expect(!a.complete)
        #expect(a.missing.first?.contains("1 of 4 slice positions have 10 of 12 time points (2 frames missing)") == true)
    }

    @Test func midnightWithoutPerImageDatesIsUnwrapped() {
        // Start 10 s before midnight, dates fixed at the study day: times wrap to 00:00.
        let day = 20_000.0 * 86_400
        var hs: [InstanceHeader] = []
        for t in 0..<12 {
            var time = day + 86_390 + Double(t) * 3
            if time >= day + 86_400 { time -= 86_400 }   // wrapped clock, same date
            for k in 0..<3 {
                hs.append(Self.header(series: "1.5", sop: "1.6.\(t).\(k)", z: Double(k) * 5, time: time))
            }
        }
        let a = AcquisitionGrouper.group(hs).acquisitions[0]
        #expect(a.crossesMidnight)
        #expect(a.complete && a.perfusion)
        let rel = a.timePointTimes.map { $0 - a.timePointTimes[0] }
        #expect(rel == (0..<12).map { Double($0) * 3 })
    }

    @Test func duplicatesAndInconsistentMatrixAreExcludedWithReasons() {
        var hs = Self.dynamic()
        var dup = hs[0]
        dup.path = "/y/copy"
        hs.append(dup)
        hs.append(Self.header(series: "1.2.5", sop: "1.2.7.1", z: 0, time: 1001, rows: 32))
        hs.append(Self.header(series: "1.2.5", sop: "1.2.7.2", z: 0, time: 1001.5, orientation: [0, 1, 0, 0, 0, -1]))
        let r = AcquisitionGrouper.group(hs)
        #expect(r.acquisitions.count == 1 && r.acquisitions[0].analysable)
        #expect(r.excluded.count == 3)
        #expect(r.excluded.contains { $0.reason.hasPrefix("duplicate SOPInstanceUID") })
        #expect(r.excluded.filter { $0.reason.contains("inconsistent with its series") }.count == 2)
    }

    @Test func nonCTAndDerivedAreNotPerfusionWithReasons() {
        var hs = Self.dynamic()
        hs.append(Self.header(series: "1.8", sop: "1.8.1", z: 0, time: 0, sopClass: SOPClass.mrImage))
        hs += (0..<12).map { Self.header(series: "1.9", sop: "1.9.\($0)", z: 0, time: Double($0) * 3, original: false) }
        let r = AcquisitionGrouper.group(hs)
        #expect(r.acquisitions.count == 3)
        let mr = r.acquisitions.first { $0.modality == "MR" }!
        #expect(!mr.perfusion && mr.notPerfusionReasons[0].contains("MR Image Storage"))
        let derived = r.acquisitions.first { $0.seriesInstanceUIDs == ["1.9"] }!
        #expect(!derived.perfusion && derived.notPerfusionReasons.contains { $0.contains("DERIVED") })
    }

    @Test func variableSamplingKeepsTrueTimes() {
        var hs: [InstanceHeader] = []
        let early: [Double] = (0..<10).map { Double($0) * 1.5 }
        let late: [Double] = (1...6).map { 13.5 + Double($0) * 3 }
        let times = early + late
        for (t, time) in times.enumerated() {
            for k in 0..<2 { hs.append(Self.header(series: "1.3", sop: "1.3.\(t).\(k)", z: Double(k) * 5, time: 500 + time)) }
        }
        let a = AcquisitionGrouper.group(hs).acquisitions[0]
        #expect(a.timePointTimes.map { $0 - 500 } == times)
        #expect(a.analysable)
    }

    @Test func aMissingSlicePositionIsReportedAsIrregularSpacing() {
        var hs = Self.dynamic(nz: 5)
        hs.removeAll { $0.frames[0].positionLPS.z == 10 }
        let a = AcquisitionGrouper.group(hs).acquisitions[0]
        #expect(!a.complete)
        #expect(a.missing.contains { $0.contains("irregular slice spacing") })
    }
}
