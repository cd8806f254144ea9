import Foundation
import Imaging

extension AcquisitionGrouper {
    /// Slice positions, time points, perfusion and completeness of one acquisition.
    static func analyse(_ input: Acquisition, _ instances: [InstanceHeader], _ options: GroupingOptions) -> Acquisition {
        var a = input
        guard a.layout != .other, let normal = a.sliceNormalLPS else { return a }

        // Every frame with its position along the normal and its time.
        var refs: [(ref: FrameRef, d: Double, time: Double)] = []
        var sources = Set<FrameTimeSource>()
        for i in a.instanceIndices {
            for f in instances[i].frames {
                refs.append((FrameRef(instance: i, frame: f.frameIndex), f.positionLPS.dot(normal), f.time))
                sources.insert(f.timeSource)
            }
        }
        a.timeSources = sources.sorted { $0.rawValue < $1.rawValue }

        // Midnight: one acquisition never spans 12 h, so a larger span means the clock wrapped
        // at 24:00 while the date stayed (a series/study date, or a date not advanced by the
        // scanner). The early-morning times belong to the next day.
        if let lo = refs.map(\.time).min(), let hi = refs.map(\.time).max(), hi - lo > 43_200 {
            for n in refs.indices where refs[n].time < hi - 43_200 { refs[n].time += 86_400 }
        }
        if let lo = refs.map(\.time).min(), let hi = refs.map(\.time).max(),
           Int((lo / 86_400).rounded(.down)) != Int((hi / 86_400).rounded(.down)) {
            a.crossesMidnight = true
        }
        for r in refs { a.frameTimes[r.ref] = r.time }

        // Slice positions: cluster positions along the normal.
        let sorted = refs.sorted { $0.d < $1.d }
        var clusters: [[Int]] = []
        var clusterStart = -Double.infinity
        for (n, r) in sorted.enumerated() {
            if clusters.isEmpty || r.d - clusterStart > options.positionToleranceMM {
                clusters.append([n]); clusterStart = r.d
            } else {
                clusters[clusters.count - 1].append(n)
            }
        }
        a.slicePositionsMM = clusters.map { c in c.map { sorted[$0].d }.reduce(0, +) / Double(c.count) }
        a.framesBySlice = clusters.map { c in c.map { sorted[$0] }.sorted { $0.time < $1.time }.map(\.ref) }

        // Duplicate frames: two images at one position with (nearly) the same time.
        var duplicatePositions = 0
        for slice in a.framesBySlice {
            let times = slice.map { a.frameTimes[$0]! }
            if zip(times, times.dropFirst()).contains(where: { $1 - $0 < 0.01 }) { duplicatePositions += 1 }
        }

        // Time points: the k-th frame at every position.
        let counts = a.framesBySlice.map(\.count)
        let nT = counts.max() ?? 0
        let full = a.framesBySlice.filter { $0.count == nT }
        a.timePointTimes = (0..<nT).map { k in median(full.map { a.frameTimes[$0[k]]! }) }
        a.timePointSpreadS = (0..<nT).map { k -> Double in
            let ts = full.map { a.frameTimes[$0[k]]! }
            return (ts.max() ?? 0) - (ts.min() ?? 0)
        }.max() ?? 0

        // Completeness: same number of time points everywhere, regular slice spacing, no duplicates.
        if counts.contains(where: { $0 != nT }) {
            var byCount: [Int: Int] = [:]
            for c in counts where c != nT { byCount[c, default: 0] += 1 }
            let missingFrames = counts.reduce(0) { $0 + (nT - $1) }
            let detail = byCount.sorted { $0.key > $1.key }
                .map { "\($0.value) of \(counts.count) slice positions have \($0.key) of \(nT) time points" }
                .joined(separator: "; ")
            a.missing.append("\(detail) (\(missingFrames) frames missing)")
        }
        if duplicatePositions > 0 {
            a.missing.append("\(duplicatePositions) slice positions hold two images with the same acquisition time (duplicate reconstructions?)")
        }
        if a.slicePositionsMM.count > 2 {
            let gaps = zip(a.slicePositionsMM, a.slicePositionsMM.dropFirst()).map { $1 - $0 }
            let med = median(gaps)
            if let lo = gaps.min(), let hi = gaps.max(), hi - lo > max(0.1 * med, options.positionToleranceMM) {
                a.missing.append(String(format: "irregular slice spacing (%.2f to %.2f mm): a slice position may be missing in every time point", lo, hi))
            }
        }
        a.complete = a.missing.isEmpty && nT > 0

        // Perfusion: enough time points over enough time, CT ORIGINAL images.
        let duration = (a.timePointTimes.last ?? 0) - (a.timePointTimes.first ?? 0)
        if nT < options.minTimePoints {
            a.notPerfusionReasons.append("\(nT) time point\(nT == 1 ? "" : "s") (perfusion needs at least \(options.minTimePoints))")
        }
        if nT >= 2 && duration < options.minDurationS {
            a.notPerfusionReasons.append(String(format: "time points span %.1f s (perfusion needs at least %.0f s)", duration, options.minDurationS))
        }
        a.perfusion = a.notPerfusionReasons.isEmpty

        // Warnings a person should see.
        let intervals = zip(a.timePointTimes, a.timePointTimes.dropFirst()).map { $1 - $0 }
        if let minInterval = intervals.min(), a.timePointSpreadS > 0.5 * minInterval {
            a.warnings.append(String(format: "slice times within a time point spread %.2f s (sampling interval %.2f s): time points may interleave", a.timePointSpreadS, minInterval))
        }
        if a.crossesMidnight { a.warnings.append("acquisition crosses midnight; times unwrapped") }
        return a
    }

    static func median(_ v: [Double]) -> Double {
        guard !v.isEmpty else { return 0 }
        let s = v.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
