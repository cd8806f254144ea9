import Foundation
import Testing
@testable import Node

/// The worker runs `ctperf analyze` as a child with a time limit and bounded retries. Here the
/// child is a small shell script standing in for ctperf, so each outcome (success, crash, hang,
/// refusal) can be produced on purpose; the real analysis runs in the end-to-end tests.
@Suite struct WorkerTests {
    /// A fake `ctperf` that behaves as `body` says; $4 is --out_dir's value.
    static func fakeCtperf(_ spool: Spool, _ body: String) throws -> String {
        let path = spool.root + "/fake-ctperf"
        let script = "#!/bin/sh\n# args: analyze --dicom_dir IN --out_dir OUT ...\nIN=\"$3\"; OUT=\"$5\"\n" + body + "\n"
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    static let succeed = """
    n=$(ls "$IN" | wc -l)
    mkdir -p "$OUT/dicom"
    echo "{\\"metrics\\": {\\"core_volume_ml\\": 12.5, \\"inputs\\": $n}}" > "$OUT/metrics.json"
    echo sc > "$OUT/dicom/sc_1.dcm"; echo sr > "$OUT/dicom/sr.dcm"
    echo "$*" > "$OUT/args.txt"
    """

    func readyJob(_ spool: Spool, inputs: Int = 3) throws -> JobRecord {
        var rels: [String] = []
        for i in 0..<inputs {
            let rel = "incoming/1.2/1.2.3/1.2.3.\(i).dcm"
            try Directory.create(spool.layout.root + "/incoming/1.2/1.2.3")
            FileManager.default.createFile(atPath: spool.layout.root + "/" + rel, contents: Data([UInt8(i)]))
            rels.append(rel)
        }
        let now = Date()
        let job = JobRecord(id: "20260314-1015-abcdef01", version: 1, state: .ready, studyInstanceUID: "1.2",
                            seriesInstanceUIDs: ["1.2.3"], studyFolder: "20260314-1015_acc-A1", inputs: rels,
                            fingerprint: "x", complete: true, attempts: 0, createdAt: now, updatedAt: now,
                            error: nil, resultsPath: nil, childPID: nil, history: [])
        try JobStore(layout: spool.layout).create(job)
        return job
    }

    func run(_ worker: Worker, until done: () -> Bool, seconds: Double = 20) {
        let deadline = Date().addingTimeInterval(seconds)
        while !done() && Date() < deadline {
            worker.tick()
            usleep(20_000)
        }
    }

    func worker(_ spool: Spool, script: String, timeout: Double = 30, attempts: Int = 2,
                destinations: Bool = true) throws -> Worker {
        var c = spool.configuration()
        c.analysis.ctperfPath = try Self.fakeCtperf(spool, script)
        c.analysis.timeoutSeconds = timeout
        c.analysis.maxAttempts = attempts
        if destinations { c.destinations = [.init(name: "pacs", aeTitle: "PACS", host: "127.0.0.1", port: 104)] }
        return Worker(configuration: c, layout: spool.layout, log: spool.log)
    }

    @Test func successWritesResultsQueuesTheOutboxAndFinishesTheJob() throws {
        let spool = try Spool()
        defer { spool.remove() }
        let job = try readyJob(spool)
        let w = try worker(spool, script: Self.succeed)
        let store = JobStore(layout: spool.layout)
        run(w) { store.find(job.id)?.state == .done }
        let done = try #require(store.find(job.id))
        #expect(done.state == .done && done.attempts == 1)
        let results = spool.root + "/results/20260314-1015_acc-A1/\(job.id)_v1"
        #expect(done.resultsPath == results)
        let metrics = try String(contentsOfFile: results + "/metrics.json", encoding: .utf8)
        #expect(metrics.contains("\"inputs\": 3"))         // the child saw the job's three inputs
        let args = try String(contentsOfFile: results + "/args.txt", encoding: .utf8)
        #expect(args.contains("--tmax-threshold 6.0 --rcbf-threshold 0.3 --min-time-points 10 --min-duration 30.0"), "\(args)")
        let entry = try #require(Outbox(layout: spool.layout).all(.pending).first)
        #expect(entry.name == "\(job.id)_v1" && entry.files == ["sc_1.dcm", "sr.dcm"])
        #expect(entry.destinations.map(\.name) == ["pacs"])
        #expect(!FileManager.default.fileExists(atPath: store.folder(job.id, .done) + "/input"))
        #expect(spool.lines.contains("event=job-done") && spool.lines.contains("core_ml=12.50"))
    }

    @Test func theChildInheritsNoDescriptorOfTheDaemon() throws {
        let spool = try Spool()
        defer { spool.remove() }
        let job = try readyJob(spool)
        // A descriptor without close-on-exec, like DCMTK's listening socket.
        let fd = open("/dev/null", O_RDONLY)
        defer { close(fd) }
        #expect(fd > 2)
        let w = try worker(spool, script: """
        if [ -e /proc/$$/fd/\(fd) ]; then leaked=yes; else leaked=no; fi
        [ -e /proc/$$/fd/1 ] && out=yes || out=no
        mkdir -p "$OUT"; echo "{\\"metrics\\": {\\"leaked\\": \\"$leaked\\", \\"stdout\\": \\"$out\\"}}" > "$OUT/metrics.json"
        """, destinations: false)
        let store = JobStore(layout: spool.layout)
        run(w) { store.find(job.id)?.state == .done }
        let metrics = try String(contentsOfFile: try #require(store.find(job.id)?.resultsPath) + "/metrics.json", encoding: .utf8)
        #expect(metrics.contains("\"leaked\": \"no\""), "\(metrics)")
        #expect(metrics.contains("\"stdout\": \"yes\""), "the child keeps its stdout: \(metrics)")
    }

    @Test func aCrashingAnalysisIsRetriedThenFailsWithTheReason() throws {
        let spool = try Spool()
        defer { spool.remove() }
        let job = try readyJob(spool)
        let w = try worker(spool, script: "kill -SEGV $$", attempts: 2)
        let store = JobStore(layout: spool.layout)
        run(w) { store.find(job.id)?.state == .failed }
        let failed = try #require(store.find(job.id))
        #expect(failed.state == .failed && failed.attempts == 2)
        #expect(failed.error?.contains("signal 11") == true, "\(failed.error ?? "")")
        #expect(spool.lines.contains("event=job-retry"))
        // `ctperf retry` puts it back with its attempts reset.
        let again = try store.requeue(job.id, reason: "test")
        #expect(again.state == .ready && again.attempts == 0)
    }

    @Test func aHungAnalysisIsKilledAtTheTimeLimit() throws {
        let spool = try Spool()
        defer { spool.remove() }
        let job = try readyJob(spool)
        let w = try worker(spool, script: "exec sleep 60", timeout: 1, attempts: 1)
        let store = JobStore(layout: spool.layout)
        let started = Date()
        run(w) { store.find(job.id)?.state == .failed }
        let failed = try #require(store.find(job.id))
        #expect(failed.error?.contains("timed out after 1 s") == true, "\(failed.error ?? "")")
        #expect(Date().timeIntervalSince(started) < 15)
    }

    @Test func aRefusalIsNotRetriedAndKeepsTheChildsMessage() throws {
        let spool = try Spool()
        defer { spool.remove() }
        let job = try readyJob(spool)
        let w = try worker(spool, script: "echo 'ctperf: no analysable perfusion acquisition: 3 time points' >&2; exit 3", attempts: 3)
        let store = JobStore(layout: spool.layout)
        run(w) { store.find(job.id)?.state == .failed }
        let failed = try #require(store.find(job.id))
        #expect(failed.attempts == 1)
        #expect(failed.error == "ctperf analyze exited with status 3: ctperf: no analysable perfusion acquisition: 3 time points")
    }

    @Test func aJobInterruptedByARestartIsRequeuedAndResultsAreNotMadeTwice() throws {
        let spool = try Spool()
        defer { spool.remove() }
        var job = try readyJob(spool)
        let store = JobStore(layout: spool.layout)
        job.attempts = 1
        job = try store.move(job, to: .running)                    // the daemon died here
        let w = try worker(spool, script: Self.succeed)
        w.recover()
        #expect(store.find(job.id)?.state == .ready && store.find(job.id)?.attempts == 0)

        // Results complete on disk (the analysis finished just before the crash): reused.
        let results = spool.root + "/results/20260314-1015_acc-A1/\(job.id)_v1"
        try Directory.create(results + "/dicom")
        try "{\"metrics\": {\"from\": \"first run\"}}".write(toFile: results + "/metrics.json", atomically: true, encoding: .utf8)
        try "sc".write(toFile: results + "/dicom/sc_1.dcm", atomically: true, encoding: .utf8)
        run(w) { store.find(job.id)?.state == .done }
        #expect(try String(contentsOfFile: results + "/metrics.json", encoding: .utf8).contains("first run"))
        #expect(Outbox(layout: spool.layout).all(.pending).first?.files == ["sc_1.dcm"])
        #expect(store.find(job.id)?.history.last?.message.contains("reused") == true)
    }
}
