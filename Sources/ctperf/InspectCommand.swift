import DICOM
import Foundation

enum InspectCommand {
    static let help = """
    usage: ctperf inspect DIR [--json] [--min-time-points N] [--min-duration S] [--help]

    Lists every acquisition found under DIR (recursively, any file names) and every file that
    was skipped, with the reason: study and series UIDs, modality and SOP class, matrix,
    slices, time points, first/last frame time and sampling intervals, whether it is a CT
    perfusion acquisition (and why not), whether it is complete (and what is missing).

      --json               machine-readable output (schema ctperf.inspect/1, docs/inspect-json.md);
                           default: text
      --min-time-points N  time points a perfusion acquisition needs (default 10; 2 to 10000)
      --min-duration S     seconds the time points must span (default 30; 0 to 86400)
      -h, --help           show this help

    exit codes: 0 the folder was read (whatever it held), 2 bad arguments, 4 DIR unreadable
    """

    static func run(_ argv: [String]) throws {
        let args = try Arguments(argv, valueOptions: ["min-time-points", "min-duration"], flagOptions: ["json", "help"])
        if args.flag("help") { print(help); return }
        guard args.positionals.count == 1 else { throw CLIError(.usage, "inspect needs exactly one folder\n\n\(help)") }
        var options = GroupingOptions()
        options.minTimePoints = try args.int("min-time-points", default: options.minTimePoints, range: 2...10_000)
        options.minDurationS = try args.double("min-duration", default: options.minDurationS, range: 0...86_400)
        let report: InspectReport
        do {
            report = try InspectReport.make(directory: args.positionals[0], options: options).0
        } catch let e as DICOMError {
            throw CLIError(.unreadableInput, e.message)
        }
        if args.flag("json") {
            FileHandle.standardOutput.write(try report.json())
            print()
        } else {
            print(report.text(), terminator: "")
        }
    }
}
