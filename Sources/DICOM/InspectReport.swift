import Foundation
import Imaging

/// What `ctperf inspect` reports: every acquisition found and every file skipped.
/// JSON schema "ctperf.inspect/1" (documented in docs/inspect-json.md).
public struct InspectReport: Codable, Sendable {
    public var schema = "ctperf.inspect/1"
    public var directory: String
    public var filesSeen: Int
    public var dicomInstances: Int
    public var acquisitions: [AcquisitionSummary]
    public var skipped: [SkippedFile]

    enum CodingKeys: String, CodingKey {
        case schema, directory, acquisitions, skipped
        case filesSeen = "files_seen", dicomInstances = "dicom_instances"
    }
}

public struct SamplingSummary: Codable, Sendable {
    public var minS: Double
    public var medianS: Double
    public var maxS: Double
    public var uniform: Bool
    enum CodingKeys: String, CodingKey { case minS = "min_s", medianS = "median_s", maxS = "max_s", uniform }
}

public struct AcquisitionSummary: Codable, Sendable {
    public var id: Int
    public var studyInstanceUID: String
    public var seriesInstanceUIDs: [String]
    public var seriesNumbers: [Int]
    public var seriesDescriptions: [String]
    public var frameOfReferenceUID: String?
    public var modality: String
    public var sopClassUIDs: [String]
    public var sopClassNames: [String]
    public var layout: String
    public var transferSyntaxUIDs: [String]
    public var instances: Int
    public var frames: Int
    public var rows: Int
    public var columns: Int
    public var pixelSpacingMM: [Double]?
    public var sliceThicknessMM: Double?
    public var slices: Int
    public var sliceSpacingMM: Double?
    public var gantryTiltDeg: Double?
    public var timePoints: Int
    public var firstFrameTime: String?
    public var lastFrameTime: String?
    public var durationS: Double?
    public var frameTimesS: [Double]
    public var samplingIntervalS: SamplingSummary?
    public var timeSources: [String]
    public var timePointSpreadS: Double
    public var crossesMidnight: Bool
    public var perfusion: Bool
    public var notPerfusionReasons: [String]
    public var complete: Bool
    public var missing: [String]
    public var warnings: [String]

    enum CodingKeys: String, CodingKey {
        case id, modality, layout, instances, frames, rows, columns, slices, perfusion, complete, missing, warnings
        case studyInstanceUID = "study_instance_uid", seriesInstanceUIDs = "series_instance_uids"
        case seriesNumbers = "series_numbers", seriesDescriptions = "series_descriptions"
        case frameOfReferenceUID = "frame_of_reference_uid", sopClassUIDs = "sop_class_uids", sopClassNames = "sop_class_names"
        case transferSyntaxUIDs = "transfer_syntax_uids", pixelSpacingMM = "pixel_spacing_mm"
        case sliceThicknessMM = "slice_thickness_mm", sliceSpacingMM = "slice_spacing_mm", gantryTiltDeg = "gantry_tilt_deg"
        case timePoints = "time_points", firstFrameTime = "first_frame_time", lastFrameTime = "last_frame_time"
        case durationS = "duration_s", frameTimesS = "frame_times_s", samplingIntervalS = "sampling_interval_s"
        case timeSources = "time_sources", timePointSpreadS = "time_point_spread_s", crossesMidnight = "crosses_midnight"
        case notPerfusionReasons = "not_perfusion_reasons"
    }
}

extension InspectReport {
    /// Scan a folder and group what is in it.
    public static func make(directory: String, options: GroupingOptions = GroupingOptions(),
                            threads: Int = defaultThreadCount()) throws -> (InspectReport, ScanResult, AcquisitionGrouper.Result) {
        let scan = try FolderScanner.scan(root: directory, threads: threads)
        let grouped = AcquisitionGrouper.group(scan.instances, options: options)
        let summaries = grouped.acquisitions.enumerated().map { n, a in summary(a, id: n + 1, scan.instances) }
        let report = InspectReport(directory: directory, filesSeen: scan.filesSeen, dicomInstances: scan.instances.count,
                                   acquisitions: summaries,
                                   skipped: (scan.skipped + grouped.excluded).sorted { $0.path < $1.path })
        return (report, scan, grouped)
    }

    static func summary(_ a: Acquisition, id: Int, _ instances: [InstanceHeader]) -> AcquisitionSummary {
        let members = a.instanceIndices.map { instances[$0] }
        let times = a.timePointTimes
        let rel = times.map { round3($0 - (times.first ?? 0)) }
        let intervals = zip(times, times.dropFirst()).map { $1 - $0 }
        var sampling: SamplingSummary?
        if let lo = intervals.min(), let hi = intervals.max() {
            sampling = SamplingSummary(minS: round3(lo), medianS: round3(AcquisitionGrouper.median(intervals)),
                                       maxS: round3(hi), uniform: hi - lo <= 0.1)
        }
        var spacing: Double?
        var tilt: Double?
        if let grid = try? AcquisitionLoader.grid(of: a, instances), a.sliceCount > 1 {
            spacing = round3(grid.sliceSpacingAlongNormalMM)
            tilt = round3(grid.tiltDegrees)
        }
        let seriesNumbers = Array(Set(members.compactMap(\.seriesNumber))).sorted()
        let descriptions = Array(Set(members.compactMap(\.seriesDescription))).sorted()
        return AcquisitionSummary(
            id: id, studyInstanceUID: a.studyInstanceUID, seriesInstanceUIDs: a.seriesInstanceUIDs,
            seriesNumbers: seriesNumbers, seriesDescriptions: descriptions, frameOfReferenceUID: a.frameOfReferenceUID,
            modality: a.modality, sopClassUIDs: a.sopClassUIDs, sopClassNames: a.sopClassUIDs.map(SOPClass.name),
            layout: a.layout.rawValue, transferSyntaxUIDs: Array(Set(members.map(\.transferSyntaxUID))).sorted(),
            instances: members.count, frames: a.layout == .other ? members.reduce(0) { $0 + $1.numberOfFrames } : a.frameCount,
            rows: a.rows, columns: a.columns, pixelSpacingMM: a.pixelSpacingMM, sliceThicknessMM: a.sliceThicknessMM,
            slices: a.sliceCount, sliceSpacingMM: spacing, gantryTiltDeg: tilt, timePoints: a.timePointCount,
            firstFrameTime: times.first.map(DicomDateTime.iso), lastFrameTime: times.last.map(DicomDateTime.iso),
            durationS: times.isEmpty ? nil : round3(times.last! - times.first!), frameTimesS: rel,
            samplingIntervalS: sampling, timeSources: a.timeSources.map(\.rawValue),
            timePointSpreadS: round3(a.timePointSpreadS), crossesMidnight: a.crossesMidnight,
            perfusion: a.perfusion, notPerfusionReasons: a.notPerfusionReasons, complete: a.complete,
            missing: a.missing, warnings: a.warnings)
    }

    /// JSON with sorted keys (stable for diffs and scripts).
    public func json() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try e.encode(self)
    }

    /// The text a sysadmin reads.
    public func text() -> String {
        var out = "\(directory): \(filesSeen) files, \(dicomInstances) DICOM instances, \(acquisitions.count) acquisition\(acquisitions.count == 1 ? "" : "s"), \(skipped.count) skipped\n"
        for a in acquisitions {
            out += "\nacquisition \(a.id): \(a.modality) \(a.sopClassNames.joined(separator: ", ")) [\(a.layout)]\n"
            out += "  study   \(a.studyInstanceUID)\n"
            for (n, s) in a.seriesInstanceUIDs.enumerated() where n < 3 { out += "  series  \(s)\n" }
            if a.seriesInstanceUIDs.count > 3 { out += "  series  ... \(a.seriesInstanceUIDs.count) series in all\n" }
            if !a.seriesDescriptions.isEmpty { out += "  description \(a.seriesDescriptions.joined(separator: " | "))\n" }
            out += "  \(a.instances) instances, \(a.frames) frames, transfer syntax \(a.transferSyntaxUIDs.map(TransferSyntax.name).joined(separator: ", "))\n"
            if a.slices > 0 {
                var geo = "  matrix \(a.columns)x\(a.rows), \(a.slices) slices"
                if let s = a.sliceSpacingMM { geo += String(format: " every %.2f mm", s) }
                if let t = a.gantryTiltDeg, t > 0.01 { geo += String(format: ", gantry tilt %.1f deg", t) }
                out += geo + "\n"
                out += "  \(a.timePoints) time points"
                if let f = a.firstFrameTime, let l = a.lastFrameTime, let d = a.durationS {
                    out += String(format: " from %@ to %@ (%.1f s)", f, l, d)
                }
                out += "\n"
                if let s = a.samplingIntervalS {
                    out += s.uniform ? String(format: "  sampling every %.2f s\n", s.medianS)
                                     : String(format: "  variable sampling %.2f to %.2f s (median %.2f s)\n", s.minS, s.maxS, s.medianS)
                }
            }
            out += "  perfusion: " + (a.perfusion ? "yes" : "no — " + a.notPerfusionReasons.joined(separator: "; ")) + "\n"
            if a.slices > 0 {
                out += "  complete:  " + (a.complete ? "yes" : "no — " + a.missing.joined(separator: "; ")) + "\n"
            }
            for w in a.warnings { out += "  note: \(w)\n" }
        }
        if !skipped.isEmpty {
            out += "\nskipped files:\n"
            for s in skipped { out += "  \(s.path): \(s.reason)\n" }
        }
        return out
    }
}

private func round3(_ v: Double) -> Double { (v * 1000).rounded() / 1000 }
