import DICOM
import Foundation
import Imaging
import Perfusion

/// What `ctperf analyze` is asked to do.
public struct AnalyzeRequest: Sendable {
    public var dicomDirectory: String
    public var outputDirectory: String
    /// --roi_mask (lesion-side cortex) and --contra_mask (contralateral cortex), NIfTI.
    public var roiMaskPath: String?
    public var contraMaskPath: String?
    public var options = PerfusionOptions()
    public var grouping = GroupingOptions()
    /// Acquisition id as `ctperf inspect` numbers them; nil = the most complete perfusion acquisition.
    public var acquisitionID: Int?
    /// Write the DICOM Secondary Capture images and SR into OUT/dicom.
    public var writeDICOM = true
    public var threads = defaultThreadCount()

    public init(dicomDirectory: String, outputDirectory: String) {
        self.dicomDirectory = dicomDirectory
        self.outputDirectory = outputDirectory
    }
}

/// Why analyze stopped; the CLI maps each case to its documented exit code.
public enum AnalyzeFailure: Error, CustomStringConvertible, Equatable {
    case noPerfusion(String)
    case unreadableInput(String)
    case analysisFailed(String)
    case outputFailed(String)

    public var description: String {
        switch self {
        case .noPerfusion(let m), .unreadableInput(let m), .analysisFailed(let m), .outputFailed(let m): return m
        }
    }
}

/// Progress events for a person at a terminal (and stage timings for the benchmark).
public enum AnalyzeEvent: Sendable {
    /// A stage started or advanced: name and fraction done (0...1).
    case progress(stage: String, fraction: Double)
    /// A stage finished: name, wall seconds, process peak RSS in MiB so far.
    case stageDone(stage: String, seconds: Double, peakRSSMiB: Double)
    /// Something a person should know (e.g. several perfusion acquisitions, the one chosen).
    case note(String)
}

/// The outcome of a successful run.
public struct AnalyzeSummary: Sendable {
    public var outputDirectory: String
    public var metrics: PerfusionMetrics
    public var qualityFlags: [QualityFlag]
    public var files: [String]
}

/// Folder of DICOM -> chosen perfusion acquisition -> analysis -> results folder (maps, masks,
/// metrics, figures, DICOM SC + SR), written into a staging folder and renamed into place.
public enum AnalyzeJob {
    public static func run(_ request: AnalyzeRequest,
                           events: @escaping @Sendable (AnalyzeEvent) -> Void = { _ in }) throws -> AnalyzeSummary {
        let clock = StageClock(events: events)

        // 1. Find the acquisitions.
        events(.progress(stage: "scan", fraction: 0))
        let report: InspectReport, scan: ScanResult, grouped: AcquisitionGrouper.Result
        do {
            (report, scan, grouped) = try InspectReport.make(directory: request.dicomDirectory, options: request.grouping,
                                                             threads: request.threads)
        } catch {
            throw AnalyzeFailure.unreadableInput("cannot read \(request.dicomDirectory): \(error)")
        }
        let chosen = try choose(request, report: report, grouped: grouped, events: events)
        clock.done("scan")

        // 2. Load the pixels.
        events(.progress(stage: "load", fraction: 0))
        let loaded: LoadedAcquisition
        do {
            loaded = try AcquisitionLoader.load(grouped.acquisitions[chosen], instances: scan.instances, threads: request.threads)
        } catch {
            throw AnalyzeFailure.unreadableInput("cannot load acquisition \(chosen + 1): \(error)")
        }
        clock.done("load")

        // 3. ROI masks onto the acquisition's grid.
        let grid = loaded.volume.grid
        let roi = try request.roiMaskPath.map { try ROIMask.load($0, option: "--roi_mask", onto: grid) }
        let contra = try request.contraMaskPath.map { try ROIMask.load($0, option: "--contra_mask", onto: grid) }

        // 4. Analyse.
        let result: PerfusionResult
        do {
            let input = PerfusionInput(volume: loaded.volume, lesionCortexMask: roi?.volume, contralateralCortexMask: contra?.volume)
            result = try PerfusionAnalysis.run(input, options: request.options) { stage, fraction in
                events(.progress(stage: "analyse: \(stage.rawValue)", fraction: fraction))
            }
        } catch {
            throw AnalyzeFailure.analysisFailed("analysis failed: \(error)")
        }
        clock.done("analyse")

        // 5. Write everything into a staging folder, then rename it into place.
        let staged: StagedDirectory
        do { staged = try StagedDirectory(final: request.outputDirectory) } catch {
            throw AnalyzeFailure.outputFailed("\(error)")
        }
        do {
            let context = ResultContext(request: request, acquisition: report.acquisitions[chosen], loaded: loaded,
                                        result: result, roi: roi, contra: contra)
            var files = try ResultFiles.writeData(context, into: staged) { events(.progress(stage: "write", fraction: $0)) }
            clock.done("write maps")
            files += try ResultFiles.writeFigures(context, into: staged) { events(.progress(stage: "figures", fraction: $0)) }
            clock.done("figures")
            if request.writeDICOM {
                files += try ResultFiles.writeDICOM(context, into: staged) { events(.progress(stage: "dicom", fraction: $0)) }
                clock.done("dicom")
            }
            try staged.commit()
            return AnalyzeSummary(outputDirectory: staged.finalPath, metrics: result.metrics,
                                  qualityFlags: result.qualityFlags, files: files.sorted())
        } catch {
            staged.abandon()
            throw AnalyzeFailure.outputFailed("cannot write results to \(request.outputDirectory): \(error) — nothing was left there")
        }
    }

    /// The acquisition to analyse: the requested one, else the analysable perfusion acquisition
    /// with the most frames (a person is told when there were several).
    static func choose(_ request: AnalyzeRequest, report: InspectReport, grouped: AcquisitionGrouper.Result,
                       events: (AnalyzeEvent) -> Void) throws -> Int {
        let found = report.acquisitions.map { a in
            "  \(a.id): \(a.modality) \(a.slices) slices x \(a.timePoints) time points [\(a.layout)] — "
                + (a.perfusion ? (a.complete ? "perfusion, complete" : "perfusion, incomplete: " + a.missing.joined(separator: "; "))
                               : "not perfusion: " + a.notPerfusionReasons.joined(separator: "; "))
        }.joined(separator: "\n")
        let foundText = report.acquisitions.isEmpty
            ? "nothing: \(report.filesSeen) files, \(report.skipped.count) skipped" + (report.skipped.first.map { " (e.g. \($0.path): \($0.reason))" } ?? "")
            : "\n" + found
        if let id = request.acquisitionID {
            guard id >= 1, id <= grouped.acquisitions.count else {
                throw AnalyzeFailure.noPerfusion("no acquisition \(id) in \(request.dicomDirectory); found \(foundText)")
            }
            guard grouped.acquisitions[id - 1].analysable else {
                throw AnalyzeFailure.noPerfusion("acquisition \(id) is not an analysable perfusion acquisition; found \(foundText)")
            }
            return id - 1
        }
        let candidates = grouped.acquisitions.indices.filter { grouped.acquisitions[$0].analysable }
        guard let best = candidates.max(by: { grouped.acquisitions[$0].frameCount < grouped.acquisitions[$1].frameCount }) else {
            throw AnalyzeFailure.noPerfusion("no complete CT perfusion acquisition in \(request.dicomDirectory); found \(foundText)")
        }
        if candidates.count > 1 {
            events(.note("\(candidates.count) perfusion acquisitions found; analysing acquisition \(best + 1), the most complete (use --acquisition N to choose):\(found.isEmpty ? "" : "\n" + found)"))
        }
        return best
    }
}

/// Wall time and peak memory per stage.
final class StageClock: @unchecked Sendable {
    // @unchecked Sendable: used from the one thread that runs AnalyzeJob.run.
    private var last = DispatchTime.now().uptimeNanoseconds
    private let events: @Sendable (AnalyzeEvent) -> Void
    init(events: @escaping @Sendable (AnalyzeEvent) -> Void) { self.events = events }

    func done(_ stage: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        events(.stageDone(stage: stage, seconds: Double(now - last) / 1e9, peakRSSMiB: peakRSSMiB()))
        last = now
    }
}

/// Peak resident set size of this process so far, MiB.
public func peakRSSMiB() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024
}
