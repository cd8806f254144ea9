#if canImport(Glibc)
import Glibc
#endif
import DICOM
import Foundation
import Phantom

/// `ctperf-bench node`: the node as a hospital meets it, in one run on one machine.
///  1. Receive throughput: storescu sends the same study to DCMTK's storescp and to ctperfd
///     (each writing to the same file system), alternating, `--repeat` times; images/s side by side.
///  2. Latency: from the last image acknowledged to ctperfd until the last result (SC pages + SR)
///     is stored in a storescp acting as PACS (target: <= quiet_seconds + 10 s).
enum NodeBench {
    static func run() throws {
        let matrix = Int(option("matrix", "512")) ?? 512
        let slices = Int(option("slices", "20")) ?? 20
        let frames = Int(option("frames", "30")) ?? 30
        let repeats = Int(option("repeat", "3")) ?? 3
        let quiet = Double(option("quiet", "10")) ?? 10
        let bin = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path
        let root = option("work", NSTemporaryDirectory() + "ctperf-node-bench-\(getpid())")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }

        var request = PhantomRequest()
        request.spec.matrix = matrix
        request.spec.slices = slices
        request.spec.frames = frames
        let report = try StudyWriter.write(request, model: try PhantomOutput.model(for: request), to: root + "/study")
        let files = try FolderScanner.listFiles(root: report.dicomDirectory)
        sync()   // the phantom's write-back must not run during the measurements
        let megabytes = files.reduce(0.0) { $0 + Double((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) } / 1e6
        print("study: \(matrix)x\(matrix), \(slices) slices x \(frames) frames = \(files.count) images, \(String(format: "%.0f", megabytes)) MB (explicit VR LE)")
        print("storescu -> receiver on loopback, one association, TCP_NODELAY=1, receivers write to \(root)")
        setenv("TCP_NODELAY", "1", 1)

        // PACS for the results.
        let pacsPort = try SCPBench.freePort()
        let pacsDir = root + "/pacs"
        try FileManager.default.createDirectory(atPath: pacsDir, withIntermediateDirectories: true)
        let pacs = try spawn("storescp", ["-aet", "PACS", "-od", pacsDir, "+xa", "\(pacsPort)"], log: root + "/pacs.log")
        defer { stop(pacs) }

        // ctperfd with a temporary configuration.
        let nodePort = try SCPBench.freePort()
        let config = """
        [node]
        ae_title = "CTPERF"
        port = \(nodePort)
        state_dir = "\(root)/state"
        results_dir = "\(root)/results"
        min_free_disk_mb = 0
        [detection]
        quiet_seconds = \(quiet)
        max_wait_seconds = \(max(quiet, 60))
        [analysis]
        ctperf_path = "\(bin)/ctperf"
        [[destination]]
        name = "pacs"
        ae_title = "PACS"
        host = "127.0.0.1"
        port = \(pacsPort)
        """
        try config.write(toFile: root + "/ctperfd.toml", atomically: true, encoding: .utf8)
        let node = try spawn(bin + "/ctperfd", ["--config", root + "/ctperfd.toml"], log: root + "/ctperfd.log")
        defer { stop(node) }
        let storescpPort = try SCPBench.freePort()
        try waitFor("ctperfd to listen", 30) { (try? String(contentsOfFile: root + "/ctperfd.log", encoding: .utf8))?.contains("event=listening") == true }
        try SCPBench.waitUntilListening(port: pacsPort, aeTitle: "PACS")

        var ours: [Double] = [], theirs: [Double] = []
        var lastAck = Date()
        for r in 0..<repeats {
            // DCMTK storescp into a fresh folder on the same file system.
            let dir = root + "/storescp-\(r)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let scp = try spawn("storescp", ["-aet", "STORESCP", "-od", dir, "\(storescpPort)"], log: root + "/storescp.log")
            try SCPBench.waitUntilListening(port: storescpPort, aeTitle: "STORESCP")
            sync()   // earlier rounds' write-back must not run during this one
            let t1 = try timedSend(files, ae: "STORESCP", port: storescpPort)
            stop(scp)
            theirs.append(Double(files.count) / t1)
            try? FileManager.default.removeItem(atPath: dir)

            // ctperfd (durable writes: fsync + rename per instance). Each round is a resend of the
            // same study, so only the last round's acknowledgement starts the latency clock.
            sync()
            let t2 = try timedSend(files, ae: "CTPERF", port: nodePort)
            lastAck = Date()
            ours.append(Double(files.count) / t2)
            print(String(format: "round %d: storescp %.0f images/s (%.1f s), ctperfd %.0f images/s (%.1f s)",
                         r + 1, theirs.last!, t1, ours.last!, t2))
        }
        let m1 = median(theirs), m2 = median(ours)
        print("")
        print("| receiver | images/s (median of \(repeats)) | MB/s |")
        print("|---|---|---|")
        print(String(format: "| DCMTK storescp 3.6.7 | %.0f | %.0f |", m1, m1 * megabytes / Double(files.count)))
        print(String(format: "| ctperfd (fsync + rename per instance) | %.0f | %.0f |", m2, m2 * megabytes / Double(files.count)))
        print(String(format: "ctperfd / storescp = %.0f %% (target >= 90 %%)", 100 * m2 / m1))

        // Latency: the job runs once the acquisition has been quiet for quiet_seconds after the
        // last round; wait for the SC + SR of the last version in the PACS.
        try waitFor("the results in the PACS", 600) {
            let sent = (try? FileManager.default.contentsOfDirectory(atPath: root + "/state/outbox/sent")) ?? []
            return !sent.isEmpty && (try? FileManager.default.contentsOfDirectory(atPath: root + "/state/outbox/pending"))?.isEmpty == true
                && (try? FileManager.default.contentsOfDirectory(atPath: root + "/state/jobs/ready"))?.isEmpty == true
                && (try? FileManager.default.contentsOfDirectory(atPath: root + "/state/jobs/running"))?.isEmpty == true
        }
        let arrived = try FileManager.default.contentsOfDirectory(atPath: pacsDir).map { pacsDir + "/" + $0 }
        let lastStored = arrived.compactMap { (try? FileManager.default.attributesOfItem(atPath: $0))?[.modificationDate] as? Date }.max() ?? Date()
        let latency = lastStored.timeIntervalSince(lastAck)
        let log = (try? String(contentsOfFile: root + "/ctperfd.log", encoding: .utf8)) ?? ""
        let analysis = log.split(separator: "\n").last { $0.contains("event=analysis-finished") }
            .flatMap { $0.split(separator: " ").first { $0.hasPrefix("seconds=") } }.map { String($0.dropFirst(8)) } ?? "?"
        print("")
        print(String(format: "last image acknowledged -> last result stored in the PACS: %.1f s (quiet_seconds %.0f + analysis %@ s + send; target <= %.0f s)",
                     latency, quiet, analysis, quiet + 10))
        let status = (try? String(contentsOfFile: "/proc/\(node.processIdentifier)/status", encoding: .utf8)) ?? ""
        let peak = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }.map { $0.dropFirst(6).trimmingCharacters(in: .whitespaces) } ?? "?"
        print("ctperfd peak resident memory (VmHWM, the analysis runs in a child): \(peak)")
        print("results in the PACS: \(arrived.count) objects; job versions: \((try? FileManager.default.contentsOfDirectory(atPath: root + "/state/outbox/sent"))?.sorted().joined(separator: ", ") ?? "")")
    }

    static func timedSend(_ files: [String], ae: String, port: Int) throws -> Double {
        let start = Date()
        let p = try spawn("storescu", ["-aec", ae, "127.0.0.1", "\(port)"] + files, log: nil)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw NSError(domain: "bench", code: 1, userInfo: [NSLocalizedDescriptionKey: "storescu to \(ae) failed"]) }
        return Date().timeIntervalSince(start)
    }

    /// `log` nil discards the output. (Never pass "/dev/null" as a log path: createFile writes
    /// atomically, by rename, and as root that replaced the device with a regular file.)
    static func spawn(_ program: String, _ args: [String], log: String?) throws -> Process {
        let p = Process()
        if program.hasPrefix("/") { p.executableURL = URL(fileURLWithPath: program) } else {
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        }
        p.arguments = program.hasPrefix("/") ? args : [program] + args
        let h: FileHandle?
        if let log {
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            h = FileHandle(forWritingAtPath: log)
        } else {
            h = FileHandle.nullDevice
        }
        p.standardOutput = h
        p.standardError = h
        try p.run()
        return p
    }

    static func stop(_ p: Process) {
        if p.isRunning { p.terminate() }
        p.waitUntilExit()
    }

    static func waitFor(_ what: String, _ seconds: Double, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            if Date() > deadline { throw NSError(domain: "bench", code: 2, userInfo: [NSLocalizedDescriptionKey: "timed out waiting for \(what)"]) }
            usleep(20_000)
        }
    }

    static func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
}
