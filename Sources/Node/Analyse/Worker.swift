#if canImport(Glibc)
import Glibc
#endif
import FileSystem
import Foundation

/// Runs the analysis of ready jobs as `ctperf analyze` child processes, with a time limit and
/// bounded retries (DESIGN.md section 3). A crash, trap or timeout fails that attempt, never the
/// daemon. On success the job's results are in results_dir and its SC + SR in the outbox.
public final class Worker {
    struct Running {
        var record: JobRecord
        var child: ChildProcess
        var logPath: String
        var resultsPath: String
    }

    public var configuration: NodeConfiguration
    let layout: StateLayout
    let jobs: JobStore
    let outbox: Outbox
    let log: Log
    var running: [String: Running] = [:]

    public init(configuration: NodeConfiguration, layout: StateLayout, log: Log) {
        self.configuration = configuration
        self.layout = layout
        self.jobs = JobStore(layout: layout)
        self.outbox = Outbox(layout: layout)
        self.log = log
    }

    public var runningCount: Int { running.count }

    /// The ctperf executable: configured, else the one next to this program.
    public var ctperfPath: String {
        if !configuration.analysis.ctperfPath.isEmpty { return configuration.analysis.ctperfPath }
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return DurableFile.directoryOf(me) + "/ctperf"
    }

    /// After a start: jobs left in running/ were interrupted (their analysis died with the daemon
    /// or is an orphan, which is stopped). They go back to ready/; the interrupted attempt is not counted.
    public func recover(now: Date = Date()) {
        for var job in jobs.all(.running) {
            if let pid = job.childPID, Worker.isOurAnalysis(pid: pid, job: job) {
                _ = Glibc.kill(pid, SIGKILL)
                log.warning("orphan-analysis-stopped", ["job": job.id, "pid": pid])
            }
            job.attempts = max(0, job.attempts - 1)
            job.childPID = nil
            job.note("interrupted", "ctperfd stopped during the analysis; requeued", at: now)
            do {
                try jobs.move(job, to: .ready)
                log.info("job-requeued", ["job": job.id, "version": job.version, "reason": "interrupted by a restart"])
            } catch {
                log.error("job-requeue-failed", ["job": job.id, "reason": "\(error)"])
            }
        }
    }

    /// Polls running analyses, then starts ready jobs up to the configured number of workers.
    public func tick(now: Date = Date()) {
        for id in running.keys.sorted() {
            guard let r = running[id] else { continue }
            if let t = r.child.poll() {
                running[id] = nil
                finish(r, termination: t, now: now)
            } else if now.timeIntervalSince(r.child.startedAt) > configuration.analysis.timeoutSeconds {
                r.child.killAndReap()
                running[id] = nil
                log.warning("analysis-timeout", ["job": id, "version": r.record.version,
                                                 "seconds": Int(configuration.analysis.timeoutSeconds)])
                retryOrFail(r.record, reason: "analysis timed out after \(Int(configuration.analysis.timeoutSeconds)) s (analysis.timeout_seconds)", now: now)
            }
        }
        guard running.count < configuration.analysis.workers else { return }
        for job in jobs.all(.ready) where running.count < configuration.analysis.workers {
            start(job, now: now)
        }
    }

    /// Stops running analyses (shutdown): their jobs go back to ready/ for the next start.
    public func stop(now: Date = Date()) {
        for (id, r) in running {
            r.child.killAndReap()
            var job = r.record
            job.attempts = max(0, job.attempts - 1)
            job.childPID = nil
            job.note("interrupted", "ctperfd stopping; requeued", at: now)
            _ = try? jobs.move(job, to: .ready)
            log.info("job-requeued", ["job": id, "reason": "shutdown"])
        }
        running = [:]
    }

    // MARK: - one job

    func resultsPath(_ job: JobRecord) -> String {
        configuration.node.resultsDir + "/" + job.studyFolder + "/" + job.versionName
    }

    func start(_ ready: JobRecord, now: Date) {
        var job = ready
        let results = resultsPath(job)
        do {
            job.attempts += 1
            job.note("started", "attempt \(job.attempts) of \(configuration.analysis.maxAttempts)", at: now)
            job = try jobs.move(job, to: .running)
        } catch {
            log.error("job-start-failed", ["job": job.id, "reason": "\(error)"])
            return
        }
        // Idempotence: a version whose results were already handed to the outbox, or written
        // complete before an interruption, is not analysed again (no second, different result).
        if outbox.exists(job.versionName) {
            complete(job, resultsPath: results, reused: "already in the outbox", now: now)
            return
        }
        if FileManager.default.fileExists(atPath: results + "/metrics.json") {
            complete(job, resultsPath: results, reused: "complete results from an interrupted run", now: now)
            return
        }
        let folder = jobs.folder(job.id, .running)
        let input = folder + "/input"
        do {
            try Directory.remove(input)
            try Directory.create(input)
            for (i, rel) in job.inputs.enumerated() {
                let source = layout.root + "/" + rel
                let target = input + "/\(i).dcm"
                if link(source, target) != 0 {
                    let err = errno
                    if err == ENOENT {
                        fail(job, reason: "input instance \(rel) is missing from the spool (removed by retention?)", now: now)
                        return
                    }
                    try FileManager.default.copyItem(atPath: source, toPath: target)
                }
            }
            try Directory.create(DurableFile.directoryOf(results))
        } catch {
            retryOrFail(job, reason: "cannot prepare the analysis input: \(error)", now: now)
            return
        }
        FaultPoint.hit("worker.before-spawn")
        let logPath = folder + "/analyze-\(job.attempts).log"
        let args = ["analyze", "--dicom_dir", input, "--out_dir", results, "--quiet",
                    "--tmax-threshold", String(configuration.analysis.tmaxThresholdS),
                    "--rcbf-threshold", String(configuration.analysis.rcbfThreshold),
                    // The analysis must find the acquisition the collector found.
                    "--min-time-points", String(configuration.detection.minTimePoints),
                    "--min-duration", String(configuration.detection.minDurationSeconds)]
        do {
            let child = try ChildProcess(executable: ctperfPath, arguments: args, logPath: logPath,
                                         extraEnvironment: ["CTPERF_PARENT_PID": String(getpid())])
            job.childPID = child.pid
            try? jobs.save(job)
            running[job.id] = Running(record: job, child: child, logPath: logPath, resultsPath: results)
            log.info("analysis-started", ["job": job.id, "version": job.version, "attempt": job.attempts,
                                          "instances": job.inputs.count, "pid": child.pid])
        } catch {
            retryOrFail(job, reason: "\(error)", now: now)
        }
    }

    func finish(_ r: Running, termination: ChildProcess.Termination, now: Date) {
        var job = r.record
        job.childPID = nil
        let seconds = String(format: "%.1f", now.timeIntervalSince(r.child.startedAt))
        switch termination {
        case .exited(0):
            log.info("analysis-finished", ["job": job.id, "version": job.version, "seconds": seconds])
            complete(job, resultsPath: r.resultsPath, reused: nil, now: now)
        case .exited(let code):
            let reason = "ctperf analyze exited with status \(code): " + Worker.lastLine(r.logPath)
            // 6 = results not written (disk): worth another attempt; the others are deterministic.
            if code == 6 { retryOrFail(job, reason: reason, now: now) } else { fail(job, reason: reason, now: now) }
        case .signaled(let sig):
            retryOrFail(job, reason: "ctperf analyze was killed by signal \(sig) (\(String(cString: strsignal(sig))))", now: now)
        }
    }

    /// Results are complete: hand the DICOM objects to the outbox, then the job is done.
    func complete(_ running: JobRecord, resultsPath: String, reused: String?, now: Date) {
        var job = running
        do {
            if !outbox.exists(job.versionName) {
                let dicom = Outbox.dicomFiles(in: resultsPath + "/dicom")
                if !configuration.destinations.isEmpty && !dicom.isEmpty {
                    FaultPoint.hit("worker.before-outbox")
                    try outbox.create(job: job, files: dicom, destinations: configuration.destinations, now: now)
                    log.info("outbox-queued", ["job": job.id, "version": job.version, "files": dicom.count,
                                               "destinations": configuration.destinations.map(\.name).joined(separator: ",")])
                }
            }
            FaultPoint.hit("worker.before-done")
            job.resultsPath = resultsPath
            job.error = nil
            job.note("done", reused.map { "results reused: \($0)" } ?? "results in \(resultsPath)", at: now)
            try jobs.move(job, to: .done)
            try? Directory.remove(jobs.folder(job.id, .done) + "/input")
            var fields: [(String, String)] = [("job", job.id), ("version", "\(job.version)"), ("results", resultsPath)]
            fields += Worker.keyMetrics(resultsPath + "/metrics.json")
            log.info("job-done", fields)
        } catch {
            retryOrFail(job, reason: "cannot queue the results: \(error)", now: now)
        }
    }

    func retryOrFail(_ running: JobRecord, reason: String, now: Date) {
        var job = running
        job.childPID = nil
        if job.attempts < configuration.analysis.maxAttempts {
            job.error = reason
            job.note("attempt-failed", reason, at: now)
            do {
                try jobs.move(job, to: .ready)
                log.warning("job-retry", ["job": job.id, "version": job.version, "attempt": job.attempts, "reason": reason])
            } catch {
                log.error("job-move-failed", ["job": job.id, "reason": "\(error)"])
            }
        } else {
            fail(job, reason: reason, now: now)
        }
    }

    func fail(_ running: JobRecord, reason: String, now: Date) {
        var job = running
        job.childPID = nil
        job.error = reason
        job.note("failed", reason, at: now)
        do {
            try jobs.move(job, to: .failed)
            try? Directory.remove(jobs.folder(job.id, .failed) + "/input")
            log.error("job-failed", ["job": job.id, "version": job.version, "attempts": job.attempts, "reason": reason])
        } catch {
            log.error("job-move-failed", ["job": job.id, "reason": "\(error)"])
        }
    }

    // MARK: - helpers

    /// The last non-empty line of a log (the child's error message).
    static func lastLine(_ path: String) -> String {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty })
            .map(String.init) ?? "(no output)"
    }

    /// Whether `pid` is a ctperf analysis of this job (its command line names the job's folder).
    static func isOurAnalysis(pid: Int32, job: JobRecord) -> Bool {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        let cmd = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
        return cmd.contains("analyze") && cmd.contains("/jobs/running/\(job.id)/input")
    }

    /// A few headline figures from metrics.json for the job-done log line.
    static func keyMetrics(_ path: String) -> [(String, String)] {
        guard let data = FileManager.default.contents(atPath: path),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let metrics = json["metrics"] as? [String: Any] else { return [] }
        var out: [(String, String)] = []
        for (key, name) in [("core_volume_ml", "core_ml"), ("hypoperfusion_volume_ml", "hypoperfusion_ml"),
                            ("penumbra_volume_ml", "penumbra_ml"), ("mismatch_ratio", "mismatch_ratio"),
                            ("hypoperfusion_intensity_ratio", "hir")] {
            if let v = metrics[key] as? Double { out.append((name, String(format: "%.2f", v))) }
        }
        return out
    }
}
