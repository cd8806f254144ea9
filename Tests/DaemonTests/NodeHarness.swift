import DICOM
import Foundation
import Node
import Phantom
import TestSupport

/// A ctperfd started by a test: temporary state, results and configuration, a free port.
final class NodeHarness {
    let root: String
    let port: Int
    let aeTitle = "CTPERF"
    var extraConfig: String
    var quietSeconds = 2.0
    var maxWaitSeconds = 10.0
    var destinations: [(name: String, ae: String, port: Int)]
    private(set) var daemon: Peer?
    private var starts = 0

    var stateDir: String { root + "/state" }
    var resultsDir: String { root + "/results" }
    var configPath: String { root + "/ctperfd.toml" }
    var layout: StateLayout { StateLayout(root: stateDir) }
    var log: String { (0..<starts).map { (try? String(contentsOfFile: root + "/ctperfd-\($0).log", encoding: .utf8)) ?? "" }.joined() }

    init(extraConfig: String = "", destinations: [(name: String, ae: String, port: Int)] = []) throws {
        setenv("TCP_NODELAY", "1", 1)   // for the DCMTK tools the tests run (Nagle costs ~40 ms per C-STORE)
        root = TemporaryDirectory.make("ctperf-node")
        port = try FreePort.next()
        self.extraConfig = extraConfig
        self.destinations = destinations
    }

    /// The configuration file: short timers for tests, then the test's own keys.
    func writeConfig() throws {
        var text = """
        [node]
        ae_title = "\(aeTitle)"
        port = \(port)
        state_dir = "\(stateDir)"
        results_dir = "\(resultsDir)"
        min_free_disk_mb = 0
        network_timeout_seconds = 20

        [detection]
        quiet_seconds = \(quietSeconds)
        max_wait_seconds = \(maxWaitSeconds)

        [analysis]
        timeout_seconds = 300
        ctperf_path = "\(Built.ctperf)"

        [sending]
        retry_initial_seconds = 1
        retry_max_seconds = 2
        timeout_seconds = 10

        """
        for d in destinations {
            text += "\n[[destination]]\nname = \"\(d.name)\"\nae_title = \"\(d.ae)\"\nhost = \"127.0.0.1\"\nport = \(d.port)\n"
        }
        text += "\n" + extraConfig + "\n"
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// Starts ctperfd and waits until it listens.
    func start(environment: [String: String] = [:]) throws {
        try writeConfig()
        let d = try Peer("ctperfd", Built.ctperfd, ["--config", configPath], logPath: root + "/ctperfd-\(starts).log",
                         environment: environment)
        starts += 1
        daemon = d
        try wait("ctperfd to listen on \(port)", seconds: 30) {
            if !d.running { throw TestFailure("ctperfd exited: \(d.log)") }
            return d.log.contains("event=listening")
        }
    }

    /// Polls `condition`; on timeout the failure carries the end of the daemon's log.
    func wait(_ what: String, seconds: Double, _ condition: () throws -> Bool) throws {
        do {
            try Poll.until(timeoutSeconds: seconds, what, condition)
        } catch {
            throw TestFailure("\(error)\nctperfd log (end):\n\(log.suffix(4000))")
        }
    }

    @discardableResult
    func stop() -> Int32 { daemon?.stop() ?? 0 }
    func kill9() { daemon?.kill9() }

    func remove() {
        stop()
        try? FileManager.default.removeItem(atPath: root)
    }

    func jobs(_ state: JobState) -> [JobRecord] { JobStore(layout: layout).all(state) }

    /// storescu of files to this node; returns its output (status lines with -v). storescu
    /// proposes a compressed transfer syntax only when told which: `syntax` = -xs (JPEG Lossless
    /// .70), -xt (JPEG-LS), -xr (RLE), and then proposes only what the files need (-R), so the
    /// files travel compressed as a modality would send them.
    @discardableResult
    func send(_ files: [String], callingAE: String = "SCANNER", calledAE: String? = nil, syntax: String? = nil) throws -> ExternalTool.Output {
        let options = syntax.map { ["-R", $0] } ?? []
        return try ExternalTool.run("storescu", ["-v", "-aet", callingAE, "-aec", calledAE ?? aeTitle] + options + ["127.0.0.1", "\(port)"] + files)
    }
}

/// Small phantom studies written by tests.
enum Studies {
    /// 64x64, 3 slices, 12 frames at 3 s: analyses in seconds even in a debug build.
    static func write(_ c: PhantomCase = .strokeLeft, layout: StudyLayout = .siemens, syntax: PhantomTransferSyntax = .explicit,
                      studyOf: PhantomCase? = nil, matrix: Int = 64, frames: Int = 12, into dir: String) throws -> (files: [String], report: PhantomStudyReport) {
        var r = PhantomRequest()
        r.phantomCase = c
        r.layout = layout
        r.transferSyntax = syntax
        r.studyOf = studyOf
        r.spec.matrix = matrix
        r.spec.slices = 3
        r.spec.frames = frames
        r.spec.intervalS = 3
        let report = try StudyWriter.write(r, model: try PhantomOutput.model(for: r), to: dir)
        return (try FolderScanner.listFiles(root: report.dicomDirectory), report)
    }
}
