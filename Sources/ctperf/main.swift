import DICOM
import Outputs
import Foundation

let version = CtperfVersion.string

let usage = """
ctperf \(version) — open CT perfusion analysis for acute stroke (research use, not a medical device)

usage: ctperf COMMAND [options]
       ctperf help [COMMAND] | ctperf COMMAND --help | ctperf --version

commands:
  analyze          --dicom_dir DIR --out_dir OUT: perfusion maps, stroke metrics, QA figures, DICOM SC + SR
  inspect DIR      list the acquisitions in a DICOM folder: perfusion or not, complete or not, and why
  phantom --out D  write a synthetic CT perfusion study with its ground truth
  status           what the ctperfd node holds: studies, jobs, results waiting to be sent
  retry NAME       re-queue a failed job or send of the ctperfd node
  help [COMMAND]   show this help, or every option of COMMAND (same as ctperf COMMAND --help)

options:
  -h, --help       show this help
  --version        print the version

exit codes:
\(ExitCode.allCases.map { "  \($0.rawValue)  \($0.meaning)" }.joined(separator: "\n"))

Manual: ctperf(1), ctperfd(8), ctperfd.toml(5).
"""

/// The help of `command` (as `ctperf help COMMAND` prints it), nil for an unknown command.
func helpText(_ command: String) -> String? {
    switch command {
    case "analyze", "analyse": return AnalyzeCommand.help
    case "inspect": return InspectCommand.help
    case "phantom": return PhantomCommand.help
    case "status": return StatusCommand.help
    case "retry": return StatusCommand.retryHelp
    case "help", "--help", "-h": return usage
    default: return nil
    }
}

func runCLI(_ argv: [String]) -> Int32 {
    guard let command = argv.first else {
        FileHandle.standardError.write(Data((usage + "\n").utf8))
        return ExitCode.usage.rawValue
    }
    let rest = Array(argv.dropFirst())
    do {
        switch command {
        case "analyze", "analyse": try AnalyzeCommand.run(rest)
        case "inspect": try InspectCommand.run(rest)
        case "phantom": try PhantomCommand.run(rest)
        case "status": try StatusCommand.run(rest)
        case "retry": try StatusCommand.retry(rest)
        case "--version", "version": print("ctperf \(version)")
        case "help", "--help", "-h":
            guard let topic = rest.first else { print(usage); break }
            guard let text = helpText(topic) else { throw CLIError(.usage, "no help for '\(topic)': not a command\n\n\(usage)") }
            print(text)
        default:
            throw CLIError(.usage, "unknown command '\(command)'\n\n\(usage)")
        }
        return ExitCode.success.rawValue
    } catch let e as CLIError {
        FileHandle.standardError.write(Data("ctperf: \(e.message)\n".utf8))
        return e.code.rawValue
    } catch {
        FileHandle.standardError.write(Data("ctperf: \(error)\n".utf8))
        return ExitCode.analysisFailed.rawValue
    }
}

exit(runCLI(Array(CommandLine.arguments.dropFirst())))
