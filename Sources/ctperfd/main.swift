#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Node

/// ctperfd — the CT perfusion DICOM node. Argument parsing and wiring only; the pipeline lives
/// in the Node target.
let usage = """
ctperfd \(Daemon.version) — CT perfusion DICOM node (research use, not a medical device)

usage: ctperfd [--config FILE] [--check-config] [--version] [--help]

Receives CT studies over DICOM (C-STORE), detects complete perfusion acquisitions, analyses them
with `ctperf analyze` and sends Secondary Capture images and a Structured Report to every
configured destination. Logs one line per event on stderr (journald under systemd).

  -c, --config FILE  configuration (default /etc/ctperf/ctperfd.toml; see ctperfd.toml(5) and
                     the commented example config/ctperfd.toml)
  --check-config     validate the configuration (and open the TLS files it names), print a summary
                     and exit (0 valid, 78 invalid); default: run the node
  --version          print the version
  -h, --help         show this help

signals: SIGHUP reloads the configuration (an invalid file is rejected and the running one kept;
node.port, node.state_dir, tls.port and the TLS listener's files need a restart); SIGTERM/SIGINT
stop accepting, let associations in progress finish, requeue a running analysis, and exit.

exit codes: 0 stopped cleanly (or --check-config: valid), 1 could not start (port, state directory),
2 bad arguments, 78 invalid configuration

Manual: ctperfd(8), ctperfd.toml(5), ctperf(1).
"""

func fail(_ code: Int32, _ message: String) -> Never {
    FileHandle.standardError.write(Data("ctperfd: \(message)\n".utf8))
    exit(code)
}

var configPath = "/etc/ctperf/ctperfd.toml"
var checkOnly = false
var args = Array(CommandLine.arguments.dropFirst())
while !args.isEmpty {
    let a = args.removeFirst()
    switch a {
    case "--config", "-c":
        guard !args.isEmpty else { fail(2, "--config needs a file") }
        configPath = args.removeFirst()
    case _ where a.hasPrefix("--config="):
        configPath = String(a.dropFirst("--config=".count))
    case "--check-config", "--check_config":
        checkOnly = true
    case "--version":
        print("ctperfd \(Daemon.version)")
        exit(0)
    case "--help", "-h":
        print(usage)
        exit(0)
    default:
        fail(2, "unknown argument '\(a)'\n\n\(usage)")
    }
}

let configuration: NodeConfiguration
do {
    configuration = try ConfigLoader.load(path: configPath)
} catch {
    fail(78, "\(error)")
}

if checkOnly {
    let c = configuration
    print("""
    \(configPath): valid
      node: AE \(c.node.aeTitle), port \(c.node.port), state \(c.node.stateDir), results \(c.node.resultsDir), \
    max \(c.node.maxAssociations) associations, calling AEs \(c.node.allowedCallingAETitles.isEmpty ? "any" : c.node.allowedCallingAETitles.joined(separator: ",")), \
    hosts \(c.node.allowedHosts.isEmpty ? "any" : c.node.allowedHosts.joined(separator: ",")), min free \(c.node.minFreeDiskMB) MiB
      detection: quiet \(c.detection.quietSeconds) s, max wait \(c.detection.maxWaitSeconds) s, >= \(c.detection.minTimePoints) time points over >= \(c.detection.minDurationSeconds) s
      analysis: Tmax > \(c.analysis.tmaxThresholdS) s, rCBF < \(c.analysis.rcbfThreshold), timeout \(c.analysis.timeoutSeconds) s, \(c.analysis.maxAttempts) attempts, \(c.analysis.workers) worker(s)
      tls: \(c.tls.port == 0 ? "no TLS listener" : "listener on port \(c.tls.port), client certificates \(c.tls.caCertificates.isEmpty ? "not verified" : "required")")
      destinations: \(c.destinations.isEmpty ? "none (results stay on disk)" : c.destinations.map { "\($0.name)=\($0.aeTitle)@\($0.host):\($0.port)\($0.tls ? " (TLS)" : "")" }.joined(separator: ", "))
      retention: \(c.retention.keepDays) days\(c.retention.keepResults ? ", results kept" : "")
    """)
    exit(0)
}

umask(0o027)   // patient data: nothing we or our analysis children write is readable by others
setenv("TCP_NODELAY", "1", 1)   // DCMTK reads it: without it Nagle makes each C-STORE wait (DCMTK_NOTES.md)
Signals.install()
let log = Log(level: configuration.logging.level == "debug" ? .debug : .info)
do {
    let daemon = try Daemon(configPath: configPath, configuration: configuration, log: log)
    exit(try daemon.run())
} catch {
    log.error("start-failed", ["reason": "\(error)"])
    fail(1, "\(error)")
}
