import Foundation
import Imaging

/// Groups instance headers into acquisitions and decides perfusion / complete
/// (DESIGN.md section 4). Pure logic over header records: shared by `ctperf inspect`,
/// `ctperf analyze` and the daemon's collector.
public enum AcquisitionGrouper {
    public struct Result: Sendable {
        public var acquisitions: [Acquisition]
        /// Instances left out of every acquisition, with the reason.
        public var excluded: [SkippedFile]
    }

    public static func group(_ instances: [InstanceHeader], options: GroupingOptions = GroupingOptions()) -> Result {
        var excluded: [SkippedFile] = []

        // 1. One instance per SOPInstanceUID (the first by path wins).
        var firstPath: [String: String] = [:]
        var unique: [Int] = []
        for (i, h) in instances.enumerated() {
            if let p = firstPath[h.sopInstanceUID] {
                excluded.append(SkippedFile(path: h.path, reason: "duplicate SOPInstanceUID \(h.sopInstanceUID), already read from \(p)"))
            } else {
                firstPath[h.sopInstanceUID] = h.path
                unique.append(i)
            }
        }

        // 2. Split by series; within a CT series, by ORIGINAL/DERIVED and by consistent geometry.
        var bySeries: [String: [Int]] = [:]
        var seriesOrder: [String] = []
        for i in unique {
            let key = instances[i].studyInstanceUID + "|" + instances[i].seriesInstanceUID
            if bySeries[key] == nil { seriesOrder.append(key) }
            bySeries[key, default: []].append(i)
        }
        var units: [Acquisition] = []
        for key in seriesOrder {
            let members = bySeries[key]!
            let first = instances[members[0]]
            guard members.allSatisfy({ SOPClass.isCT(instances[$0].sopClassUID) }) else {
                units.append(otherAcquisition(members, instances))
                continue
            }
            let original = members.filter { instances[$0].frames.allSatisfy(\.original) }
            let derived = members.filter { !instances[$0].frames.allSatisfy(\.original) }
            if !derived.isEmpty {
                var a = makeUnit(derived, instances, layout: first.isMultiFrame ? .multiFrame : .singleSeries, &excluded)
                a.notPerfusionReasons.append("ImageType DERIVED: reformats, projections and maps are not analysed")
                units.append(a)
            }
            if !original.isEmpty {
                units.append(makeUnit(original, instances, layout: first.isMultiFrame ? .multiFrame : .singleSeries, &excluded))
            }
        }

        // 3. Canon-like: chain single-time-point CT series that share study, frame of reference,
        //    orientation, matrix, pixel spacing and slice thickness and follow each other closely.
        units = mergeSeriesPerTimePoint(units, instances, options)

        // 4. Decide perfusion and completeness.
        var acquisitions = units.map { analyse($0, instances, options) }
        acquisitions.sort { a, b in
            (a.studyInstanceUID, a.timePointTimes.first ?? 0, a.seriesInstanceUIDs.first ?? "")
                < (b.studyInstanceUID, b.timePointTimes.first ?? 0, b.seriesInstanceUIDs.first ?? "")
        }
        return Result(acquisitions: acquisitions, excluded: excluded)
    }

    // MARK: - units

    private static func otherAcquisition(_ members: [Int], _ instances: [InstanceHeader]) -> Acquisition {
        let h = instances[members[0]]
        var a = Acquisition(studyInstanceUID: h.studyInstanceUID, seriesInstanceUIDs: [h.seriesInstanceUID],
                            frameOfReferenceUID: h.frameOfReferenceUID, modality: h.modality,
                            sopClassUIDs: Array(Set(members.map { instances[$0].sopClassUID })).sorted(),
                            layout: .other, instanceIndices: members, rows: h.rows, columns: h.columns,
                            pixelSpacingMM: nil, sliceThicknessMM: h.sliceThicknessMM, orientation: nil)
        let classes = a.sopClassUIDs.map(SOPClass.name).joined(separator: ", ")
        let what = h.isImage ? "images" : "not images"
        a.notPerfusionReasons.append("\(classes) (modality \(h.modality.isEmpty ? "unknown" : h.modality), \(what)): ctperf analyses CT Image Storage and Enhanced CT Image Storage only")
        return a
    }

    /// Geometry key of a frame: matrix, orientation and pixel spacing, rounded.
    private static func geometryKey(_ h: InstanceHeader, _ f: FrameHeader) -> String {
        let o = f.orientation.map { String(format: "%.3f", $0) }.joined(separator: ",")
        let s = f.pixelSpacing.map { String(format: "%.4f", $0) }.joined(separator: ",")
        return "\(h.rows)x\(h.columns)|\(o)|\(s)"
    }

    private static func describe(_ key: String) -> String {
        let parts = key.split(separator: "|")
        return "matrix \(parts[0]), orientation [\(parts[1])], pixel spacing [\(parts[2])]"
    }

    /// One series (or its DERIVED part): keep the instances whose geometry matches the majority.
    private static func makeUnit(_ members: [Int], _ instances: [InstanceHeader], layout: AcquisitionLayout,
                                 _ excluded: inout [SkippedFile]) -> Acquisition {
        var counts: [String: Int] = [:]
        for i in members { for f in instances[i].frames { counts[geometryKey(instances[i], f), default: 0] += 1 } }
        let majority = counts.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }!.key
        var kept: [Int] = []
        for i in members {
            let h = instances[i]
            if let bad = h.frames.first(where: { geometryKey(h, $0) != majority }) {
                excluded.append(SkippedFile(path: h.path, reason: "inconsistent with its series \(h.seriesInstanceUID): \(describe(geometryKey(h, bad))) differs from the \(describe(majority)) of the other images"))
            } else {
                kept.append(i)
            }
        }
        let h = instances[kept[0]]
        let f = h.frames[0]
        return Acquisition(studyInstanceUID: h.studyInstanceUID, seriesInstanceUIDs: [h.seriesInstanceUID],
                           frameOfReferenceUID: h.frameOfReferenceUID, modality: h.modality,
                           sopClassUIDs: [h.sopClassUID], layout: layout, instanceIndices: kept,
                           rows: h.rows, columns: h.columns, pixelSpacingMM: f.pixelSpacing,
                           sliceThicknessMM: h.sliceThicknessMM, orientation: f.orientation)
    }

    // MARK: - Canon-like merge

    private static func mergeSeriesPerTimePoint(_ units: [Acquisition], _ instances: [InstanceHeader],
                                                _ options: GroupingOptions) -> [Acquisition] {
        func singleTimePoint(_ a: Acquisition) -> Bool {
            guard a.layout == .singleSeries, a.notPerfusionReasons.isEmpty, let n = a.sliceNormalLPS else { return false }
            var seen = Set<Int>()
            for i in a.instanceIndices {
                for f in instances[i].frames {
                    let d = Int((f.positionLPS.dot(n) / options.positionToleranceMM).rounded())
                    if !seen.insert(d).inserted { return false }
                }
            }
            return true
        }
        func mergeKey(_ a: Acquisition) -> String {
            let o = (a.orientation ?? []).map { String(format: "%.3f", $0) }.joined(separator: ",")
            let s = (a.pixelSpacingMM ?? []).map { String(format: "%.4f", $0) }.joined(separator: ",")
            return [a.studyInstanceUID, a.frameOfReferenceUID ?? "-", o, "\(a.rows)x\(a.columns)", s,
                    a.sliceThicknessMM.map { String(format: "%.3f", $0) } ?? "-"].joined(separator: "|")
        }
        func startTime(_ a: Acquisition) -> Double {
            a.instanceIndices.flatMap { instances[$0].frames.map(\.time) }.min() ?? 0
        }

        var result: [Acquisition] = []
        var candidates: [String: [Acquisition]] = [:]
        var keys: [String] = []
        for a in units {
            if singleTimePoint(a) {
                let k = mergeKey(a)
                if candidates[k] == nil { keys.append(k) }
                candidates[k, default: []].append(a)
            } else {
                result.append(a)
            }
        }
        for k in keys {
            let chain = candidates[k]!.sorted { startTime($0) < startTime($1) }
            var current: [Acquisition] = [chain[0]]
            func flush() {
                if current.count == 1 { result.append(current[0]); return }
                var merged = current[0]
                merged.layout = .seriesPerTimePoint
                merged.seriesInstanceUIDs = current.map { $0.seriesInstanceUIDs[0] }
                merged.instanceIndices = current.flatMap(\.instanceIndices)
                result.append(merged)
            }
            for a in chain.dropFirst() {
                if startTime(a) - startTime(current.last!) <= options.seriesMergeMaxGapS {
                    current.append(a)
                } else {
                    flush()
                    current = [a]
                }
            }
            flush()
        }
        return result
    }
}
