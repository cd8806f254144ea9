import Foundation
import Node

/// `ctperf status` and `ctperf retry`: read (and for retry, change) the daemon's state directory.
enum StatusCommand {
    static let help = """
    usage: ctperf status [--state-dir DIR | --config FILE] [--json] [--help]

    Shows what the ctperfd node holds: whether the daemon runs (and its live figures), the studies
    received, the jobs queued, running, done and failed (with the reason), and the results waiting to
    be sent to each destination (attempts, next retry, last error). Reads the state directory only.

      --state-dir DIR   the node's state directory (default: node.state_dir of the configuration)
      --config FILE     the daemon's configuration (default /etc/ctperf/ctperfd.toml; when that file
                        does not exist, the built-in default state directory /var/lib/ctperf)
      --json            machine-readable output (schema ctperf.status/1); default: text
      -h, --help        show this help

    exit codes: 0 shown, 2 bad arguments, 4 state directory or configuration unreadable
    """

    static let retryHelp = """
    usage: ctperf retry NAME [--state-dir DIR | --config FILE] [--help]

    Re-queues a failed job (NAME = the job id shown by `ctperf status`) for analysis with its attempts
    reset, or a failed send (NAME = <job>_v<N>) for delivery to the destinations that refused it. The
    running daemon picks it up within a second. Run it as the daemon's user (sudo -u ctperf ctperf retry
    NAME) so that the files it rewrites stay readable by the daemon.

      --state-dir DIR   the node's state directory (default: node.state_dir of the configuration)
      --config FILE     the daemon's configuration (default /etc/ctperf/ctperfd.toml; when that file
                        does not exist, the built-in default state directory /var/lib/ctperf)
      -h, --help        show this help

    exit codes: 0 re-queued, 2 bad arguments, 4 no such failed job or send
    """

    static func stateDir(_ args: Arguments) throws -> String {
        if let d = args.value("state-dir") { return d }
        let path = args.value("config") ?? "/etc/ctperf/ctperfd.toml"
        if args.value("config") == nil && !FileManager.default.fileExists(atPath: path) {
            return NodeConfiguration().node.stateDir
        }
        do {
            return try ConfigLoader.load(path: path).node.stateDir
        } catch {
            throw CLIError(.unreadableInput, "\(error)")
        }
    }

    static func run(_ argv: [String]) throws {
        let args = try Arguments(argv, valueOptions: ["state-dir", "config"], flagOptions: ["json", "help"])
        if args.flag("help") { print(help); return }
        guard args.positionals.isEmpty else { throw CLIError(.usage, "unexpected argument '\(args.positionals[0])'\n\n\(help)") }
        let report: StatusReport
        do {
            report = try StatusReport.read(stateDir: try stateDir(args))
        } catch let e as NodeError {
            throw CLIError(.unreadableInput, e.message)
        }
        if args.flag("json") {
            let e = JSONEncoder()
            e.outputFormatting = [.prettyPrinted, .sortedKeys]
            e.dateEncodingStrategy = .iso8601
            e.keyEncodingStrategy = .convertToSnakeCase
            FileHandle.standardOutput.write(try e.encode(report))
            print()
        } else {
            print(report.text())
        }
    }

    static func retry(_ argv: [String]) throws {
        let args = try Arguments(argv, valueOptions: ["state-dir", "config"], flagOptions: ["help"])
        if args.flag("help") { print(retryHelp); return }
        guard args.positionals.count == 1 else { throw CLIError(.usage, "retry needs exactly one job or send name\n\n\(retryHelp)") }
        let name = args.positionals[0]
        let layout = StateLayout(root: try stateDir(args))
        do {
            if FileManager.default.fileExists(atPath: Outbox(layout: layout).folder(name, .failed)) {
                try Outbox(layout: layout).requeue(name)
                print("send \(name) re-queued")
            } else {
                let r = try JobStore(layout: layout).requeue(name, reason: "ctperf retry")
                print("job \(r.id) v\(r.version) re-queued")
            }
        } catch let e as NodeError {
            throw CLIError(.unreadableInput, e.message)
        }
    }
}
