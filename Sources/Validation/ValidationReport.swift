import Foundation
import Render

/// Generates the validation report: runs the experiments, writes `<dir>/VALIDATION.md` and
/// `<dir>/validation/*.png`. The one entry point of the `ctperf-validate` command and the tests.
public enum ValidationReport {
    /// What was written.
    public struct Output: Sendable {
        public let markdownPath: String
        public let figurePaths: [String]
        public let runtimeS: Double
        public let results: ValidationResults
    }

    /// `command` is printed as the way to regenerate the report.
    public static func generate(_ configuration: ValidationConfiguration, outputDirectory: String, command: String,
                                log: (String) -> Void = { _ in }) throws -> Output {
        let start = Date()
        // Before anything is written: regenerating tracked docs must not mark the commit dirty.
        let commit = gitDescribe()
        let figuresDirectory = (outputDirectory as NSString).appendingPathComponent("validation")
        try FileManager.default.createDirectory(atPath: figuresDirectory, withIntermediateDirectories: true)
        let results = try Experiments.run(configuration, log: log)
        var paths: [String] = []
        for figure in try ValidationFigures.all(results) {
            let path = (figuresDirectory as NSString).appendingPathComponent(figure.name)
            try figure.image.writePNG(to: path)
            paths.append(path)
        }
        let runtime = Date().timeIntervalSince(start)
        let generated = generatedLine(runtimeS: runtime, at: Date(), commit: commit)
        let text = ReportWriter.document(results, provenance: .init(command: command, generatedLine: generated))
        let markdownPath = (outputDirectory as NSString).appendingPathComponent("VALIDATION.md")
        try Data(text.utf8).write(to: URL(fileURLWithPath: markdownPath), options: .atomic)
        log(String(format: "wrote %@ and %d figures in %.1f s", markdownPath, paths.count, runtime))
        return Output(markdownPath: markdownPath, figurePaths: paths, runtimeS: runtime, results: results)
    }

    /// How the report says it was made (its regeneration command).
    public static func command(for configuration: ValidationConfiguration) -> String {
        let quick = configuration == .quick ? " --quick" : ""
        return "scripts/validation.sh\(quick)   # = swift run -c release ctperf-validate --out docs\(quick)"
    }

    /// The report's only run-dependent line: when, how long, which build and commit.
    static func generatedLine(runtimeS: Double, at date: Date, commit: String?) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        #if DEBUG
        let build = "debug"
        #else
        let build = "release"
        #endif
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let described = commit.map { ", commit `\($0)`" } ?? ""
        return String(format: "Generated %@ in %.0f s (%@ build, %d cores%@).", f.string(from: date), runtimeS, build, cores, described)
    }

    /// `git describe --always --dirty` of the working directory, nil when git is unavailable.
    static func gitDescribe() -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git", "describe", "--always", "--dirty"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { return nil }
        let s = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return s.isEmpty ? nil : s
    }
}
