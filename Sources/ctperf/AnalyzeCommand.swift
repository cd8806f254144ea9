import DICOM
import Foundation
import Outputs
import Perfusion

enum AnalyzeCommand {
    static let help = """
    usage: ctperf analyze --dicom_dir DIR --out_dir OUT [--roi_mask LESION_CORTEX.nii.gz]
                          [--contra_mask CONTRA_CORTEX.nii.gz] [--tmax-threshold S] [--rcbf-threshold F]
                          [--rho G_PER_ML] [--kh F] [--pvt-threshold S] [--acquisition N]
                          [--min-time-points N] [--min-duration S] [--no-dicom] [--quiet] [--help]

    Finds the CT perfusion acquisition in DIR, computes CBF, CBV, MTT, Tmax (and TTP, rCBF, rCBV),
    the core, penumbra and every stroke metric, and writes OUT (created complete, or not at all):
      cbf/cbv/mtt/tmax/ttp/rcbf/rcbv.nii.gz, brain_mask, hypoperf_mask_tmax6, core_mask_rcbf30,
      penumbra_mask, pvt_sinus_roi, pvt_torcula_roi (.nii.gz), metrics.json (docs/metrics-json.md),
      metrics.csv, qa_aif_vof.png, qa_tmax_mip.png, qa_core_penumbra_mip.png, and dicom/ (Secondary
      Capture summary page and CBF/CBV/MTT/Tmax colour maps, TID 1500 SR) for PACS.
    Options may be spelled with - or _ (--dicom-dir = --dicom_dir).

      --dicom_dir DIR        input folder (searched recursively; non-DICOM files are skipped); required
      --out_dir OUT          results folder (replaced only after the new results are complete); required
      --roi_mask M           lesion-side cortex ROI for the corrected CBV index (NIfTI; resampled by
                             world coordinates when its grid differs; must overlap the slab; needs
                             --contra_mask); default none
      --contra_mask M        contralateral cortex ROI (also the reference tissue); default none
      --tmax-threshold S     hypoperfusion threshold on Tmax, s (default 6; 1 to 30)
      --rcbf-threshold F     core threshold on rCBF, fraction (default 0.30; 0.05 to 0.9)
      --rho G_PER_ML         brain tissue density, g/mL (default 1.04; 0.5 to 2)
      --kh F                 haematocrit correction kH = (1-Hct_large)/(1-Hct_small) (default 0.73; 0.1 to 1.5)
      --pvt-threshold S      venous Tmax for prolonged venous transit, s (default 10; 1 to 60)
      --acquisition N        analyse acquisition N as numbered by `ctperf inspect`, 1 to 10000 (default:
                             the most complete perfusion acquisition)
      --min-time-points N    time points a perfusion acquisition needs (default 10; 2 to 10000)
      --min-duration S       seconds its time points must span (default 30; 0 to 86400)
      --no-dicom             skip the DICOM Secondary Capture and SR (default: write them)
      --quiet                no progress on stderr (default: progress stage by stage)
      -h, --help             show this help

    exit codes: 0 success, 2 bad arguments, 3 no analysable perfusion acquisition (the message lists
    what was found), 4 input unreadable (folder or ROI mask), 5 analysis failed, 6 results not written
    Research use only — not a medical device.
    """

    static func run(_ argv: [String]) throws {
        let args = try Arguments(argv, valueOptions: ["dicom-dir", "out-dir", "roi-mask", "contra-mask", "tmax-threshold",
                                                      "rcbf-threshold", "rho", "kh", "pvt-threshold", "acquisition",
                                                      "min-time-points", "min-duration"],
                                 flagOptions: ["help", "no-dicom", "quiet"])
        if args.flag("help") { print(help); return }
        guard args.positionals.isEmpty else { throw CLIError(.usage, "unexpected argument '\(args.positionals[0])'") }
        guard let dicom = args.value("dicom-dir"), let out = args.value("out-dir") else {
            throw CLIError(.usage, "analyze needs --dicom_dir DIR and --out_dir OUT\n\n\(help)")
        }
        var request = AnalyzeRequest(dicomDirectory: dicom, outputDirectory: out)
        request.roiMaskPath = args.value("roi-mask")
        request.contraMaskPath = args.value("contra-mask")
        if request.roiMaskPath != nil, request.contraMaskPath == nil {
            // The corrected CBV index compares the two regions; a lone lesion ROI would be ignored.
            throw CLIError(.usage, "--roi_mask needs --contra_mask: the corrected CBV index compares the lesion-side cortex with the contralateral cortex")
        }
        request.options.tmaxThresholdS = try args.double("tmax-threshold", default: 6, range: 1...30)
        request.options.rcbfThreshold = try args.double("rcbf-threshold", default: 0.30, range: 0.05...0.9)
        request.options.tissueDensityGPerML = try args.double("rho", default: 1.04, range: 0.5...2)
        request.options.hematocritFactorKH = try args.double("kh", default: 0.73, range: 0.1...1.5)
        request.options.pvtThresholdS = try args.double("pvt-threshold", default: 10, range: 1...60)
        request.grouping.minTimePoints = try args.int("min-time-points", default: request.grouping.minTimePoints, range: 2...10_000)
        request.grouping.minDurationS = try args.double("min-duration", default: request.grouping.minDurationS, range: 0...86_400)
        if args.value("acquisition") != nil { request.acquisitionID = try args.int("acquisition", default: 1, range: 1...10_000) }
        request.writeDICOM = !args.flag("no-dicom")
        let quiet = args.flag("quiet")
        ParentWatch.startIfRequested()
        let progress = ProgressPrinter()
        let started = Date()
        let summary: AnalyzeSummary
        do {
            summary = try AnalyzeJob.run(request) { event in if !quiet { progress.show(event) } }
        } catch let f as AnalyzeFailure {
            switch f {
            case .noPerfusion(let m): throw CLIError(.noPerfusion, m)
            case .unreadableInput(let m): throw CLIError(.unreadableInput, m)
            case .analysisFailed(let m): throw CLIError(.analysisFailed, m)
            case .outputFailed(let m): throw CLIError(.outputFailed, m)
            }
        }
        let m = summary.metrics
        print(String(format: "core %.1f mL, Tmax>%g s %.1f mL, mismatch ratio %@, HIR %@, CBV index %@, PVT %@",
                     m.coreVolumeML, request.options.tmaxThresholdS, m.hypoperfusionVolumeML,
                     m.mismatchRatio.map { String(format: "%.2f", $0) } ?? "n/a",
                     m.hypoperfusionIntensityRatio.map { String(format: "%.2f", $0) } ?? "n/a",
                     m.cbvIndexConventional.map { String(format: "%.2f", $0) } ?? "n/a",
                     m.venous.prolongedVenousTransit.map { $0 ? "positive" : "negative" } ?? "n/a"))
        for flag in summary.qualityFlags { print("quality: \(flag.message)") }
        print(String(format: "results in %@ (%d files, %.1f s)", summary.outputDirectory, summary.files.count, Date().timeIntervalSince(started)))
    }
}

/// Stage-by-stage progress on stderr, for a person at a terminal: one line when a stage starts
/// and every 10 % of the whole run, with the overall percentage.
final class ProgressPrinter: @unchecked Sendable {
    // @unchecked Sendable: state is only touched under the lock.
    private let lock = NSLock()
    private var lastStage = ""
    private var lastPercent = -10

    /// Share of the whole run per stage (percent, in order); analysis sub-stages share "analyse".
    private static let stages: [(name: String, share: Double)] = [
        ("scan", 5), ("load", 10), ("analyse", 60), ("write", 8), ("figures", 7), ("dicom", 10),
    ]

    static func overall(_ stage: String, _ fraction: Double) -> Int {
        var base = 0.0
        for s in stages {
            if stage == s.name || stage.hasPrefix(s.name + ":") {
                var f = fraction
                if stage.hasPrefix("analyse: "), let i = PerfusionStage.allCases.firstIndex(where: { "analyse: " + $0.rawValue == stage }) {
                    f = (Double(i) + fraction) / Double(PerfusionStage.allCases.count)
                }
                return Int(base + s.share * min(max(f, 0), 1))
            }
            base += s.share
        }
        return Int(base)
    }

    func show(_ event: AnalyzeEvent) {
        lock.lock(); defer { lock.unlock() }
        var line: String?
        switch event {
        case .progress(let stage, let fraction):
            let percent = Self.overall(stage, fraction)
            if stage != lastStage || percent >= lastPercent + 10 {
                line = String(format: "[%3d%%] %@", percent, stage)
                lastStage = stage
                lastPercent = percent
            }
        case .stageDone(let stage, let seconds, let rss):
            line = String(format: "       %@: %.1f s, peak memory %.0f MiB", stage, seconds, rss)
        case .note(let text):
            line = "note: \(text)"
        }
        if let line { FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }
}
