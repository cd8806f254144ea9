import DICOM
import Foundation
import Phantom

enum PhantomCommand {
    static var help: String {
        """
        usage: ctperf phantom --out DIR [--case NAME] [--seed N] [--matrix 64|128|256|512] [--slices N]
                              [--frames N] [--interval S] [--layout LAYOUT] [--transfer-syntax TS]
                              [--noise HU] [--study-of CASE] [--json] [--help]

        Writes a synthetic CT perfusion study (DIR/DICOM) and its ground truth (DIR/truth: NIfTI
        maps of true CBF, CBV, MTT, Tmax, the lesion masks, and truth.json).

          --out DIR            output folder (DIR/DICOM and DIR/truth are written); required
          --case NAME          the study to write (default stroke-left):
        \(PhantomCase.allCases.map { "      \($0.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0))\($0.summary)" }.joined(separator: "\n"))
          --seed N             random seed (default 1; 0 to 2147483647); the same seed gives the same study
          --matrix N           64, 128, 256 or 512 (default 256; 64/128 are for tests)
          --slices N           slices of 5 mm (default 20; 1 to 64)
          --frames N           time points (default 30; 2 to 200)
          --interval S         sampling interval, s (default 2.0; 0.2 to 10)
          --layout LAYOUT      siemens, ge, philips (one series), canon (one series per time point),
                               enhanced (one multi-frame Enhanced CT object); default siemens
          --transfer-syntax TS explicit, implicit, jpeg-lossless (.70), jpeg-lossless-57, jpeg-ls, rle;
                               default explicit (Explicit VR Little Endian)
          --noise HU           Gaussian noise SD, HU (default 8; 0 to 200)
          --study-of CASE      put the series into the study (UID, patient) of CASE with the same seed,
                               e.g. --case cta --study-of stroke-left for a mixed study; default: its own study
          --json               print the written study's summary as JSON (default: text)
          -h, --help           show this help

        exit codes: 0 written, 2 bad arguments (or a case the layout cannot hold), 6 DIR could not be written
        """
    }

    static func run(_ argv: [String]) throws {
        let args = try Arguments(argv, valueOptions: ["out", "case", "seed", "matrix", "slices", "frames", "interval",
                                                      "layout", "transfer-syntax", "noise", "study-of"],
                                 flagOptions: ["json", "help"])
        if args.flag("help") { print(help); return }
        guard let out = args.value("out") else { throw CLIError(.usage, "phantom needs --out DIR\n\n\(help)") }
        guard args.positionals.isEmpty else { throw CLIError(.usage, "unexpected argument '\(args.positionals[0])'") }
        var request = PhantomRequest()
        request.phantomCase = try args.choice("case", default: PhantomCase.strokeLeft)
        request.layout = try args.choice("layout", default: StudyLayout.siemens)
        request.transferSyntax = try args.choice("transfer-syntax", default: PhantomTransferSyntax.explicit)
        if args.value("study-of") != nil { request.studyOf = try args.choice("study-of", default: PhantomCase.strokeLeft) }
        request.spec.seed = UInt64(try args.int("seed", default: 1, range: 0...Int(Int32.max)))
        request.spec.matrix = try args.int("matrix", default: 256, range: 64...512)
        guard [64, 128, 256, 512].contains(request.spec.matrix) else {
            throw CLIError(.usage, "--matrix must be 64, 128, 256 or 512 (got \(request.spec.matrix))")
        }
        request.spec.slices = try args.int("slices", default: 20, range: 1...64)
        request.spec.frames = try args.int("frames", default: 30, range: 2...200)
        request.spec.intervalS = try args.double("interval", default: 2.0, range: 0.2...10)
        request.spec.noiseHU = try args.double("noise", default: 8, range: 0...200)
        let started = Date()
        let result: PhantomOutput.Result
        do {
            result = try PhantomOutput.write(request, to: out)
        } catch let e as PhantomError {
            throw CLIError(.usage, e.description)
        } catch {
            throw CLIError(.outputFailed, "cannot write the phantom study to \(out): \(error)")
        }
        if args.flag("json") {
            let e = JSONEncoder()
            e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try e.encode(result.report))
            print()
        } else {
            let r = result.report
            print("wrote \(r.filesWritten) DICOM files (\(r.layout) layout, \(TransferSyntax.name(r.transferSyntaxUID))) to \(r.dicomDirectory)")
            print("  case \(r.phantomCase): \(r.slices) slices x \(r.timePoints) time points; perfusion expected: \(r.expectPerfusion ? "yes" : "no"), complete: \(r.expectComplete ? "yes" : "no")")
            print("truth in \(result.truthDirectory) (\(String(format: "%.1f", Date().timeIntervalSince(started))) s)")
        }
    }
}
