// ctperf-validate: regenerates docs/VALIDATION.md and docs/validation/*.png from the phantom.
//   ctperf-validate [--out DIR (default docs)] [--quick]
import Foundation
import Validation

let usage = "usage: ctperf-validate [--out DIR] [--quick]\n  writes DIR/VALIDATION.md and DIR/validation/*.png (DIR defaults to docs)\n"
var outputDirectory = "docs"
var configuration = ValidationConfiguration.full
var arguments = Array(CommandLine.arguments.dropFirst())
while !arguments.isEmpty {
    let a = arguments.removeFirst()
    switch a {
    case "--out":
        guard let dir = arguments.first else { FileHandle.standardError.write(Data(("--out needs a directory\n" + usage).utf8)); exit(2) }
        outputDirectory = dir
        arguments.removeFirst()
    case "--quick": configuration = .quick
    case "-h", "--help": print(usage, terminator: ""); exit(0)
    default: FileHandle.standardError.write(Data(("unknown argument '\(a)'\n" + usage).utf8)); exit(2)
    }
}
let command = ValidationReport.command(for: configuration)
do {
    let out = try ValidationReport.generate(configuration, outputDirectory: outputDirectory, command: command) {
        FileHandle.standardError.write(Data(("ctperf-validate: " + $0 + "\n").utf8))
    }
    print(String(format: "%@ (%d figures, %.1f s)", out.markdownPath, out.figurePaths.count, out.runtimeS))
} catch {
    FileHandle.standardError.write(Data("ctperf-validate: \(error)\n".utf8))
    exit(1)
}
