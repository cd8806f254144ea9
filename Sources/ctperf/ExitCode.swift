/// ctperf's exit codes (documented in README.md and `ctperf --help`).
enum ExitCode: Int32, CaseIterable {
    case success = 0
    case usage = 2                 // bad arguments
    case noPerfusion = 3           // no analysable perfusion acquisition found
    case unreadableInput = 4       // input folder missing or unreadable
    case analysisFailed = 5        // analysis could not finish
    case outputFailed = 6          // results could not be written (disk full, permissions)

    var meaning: String {
        switch self {
        case .success: return "success"
        case .usage: return "bad arguments (see --help)"
        case .noPerfusion: return "no analysable perfusion acquisition found (the message lists what was found)"
        case .unreadableInput: return "input missing or unreadable"
        case .analysisFailed: return "analysis failed (the message says why)"
        case .outputFailed: return "results could not be written (disk full, permissions)"
        }
    }
}

/// An error that ends the program with a message and an exit code.
struct CLIError: Error {
    var code: ExitCode
    var message: String
    init(_ code: ExitCode, _ message: String) { self.code = code; self.message = message }
}
