import Foundation
import DICOM
import Synchronization
import Testing
@testable import Node

/// A sender whose answers the test scripts: one result per call, in order (the last repeats).
final class ScriptedSender: ResultSender {
    let script: Mutex<[SendResult]>
    let calls = Mutex<[(files: [String], destination: String)]>([])
    init(_ results: [SendResult]) { script = Mutex(results) }
    func send(files: [String], to d: DestinationSendState, callingAETitle: String, timeoutSeconds: Int,
              tls: TLSSettings?) -> SendResult {
        calls.withLock { $0.append((files.map { ($0 as NSString).lastPathComponent }, d.name)) }
        return script.withLock { s in s.count > 1 ? s.removeFirst() : s[0] }
    }
    var callCount: Int { calls.withLock { $0.count } }
}

/// Delivery with retries, exponential backoff and jitter; permanent refusals to failed/.
@Suite struct DispatcherTests {
    func queue(_ spool: Spool, destinations: [String]) throws -> String {
        let results = spool.root + "/results/x"
        try Directory.create(results)
        for n in ["sc_1.dcm", "sr.dcm"] { FileManager.default.createFile(atPath: results + "/" + n, contents: Data(n.utf8)) }
        let now = Date()
        let job = JobRecord(id: "j1", version: 1, state: .done, studyInstanceUID: "1.2", seriesInstanceUIDs: [], studyFolder: "s",
                            inputs: [], fingerprint: "", complete: true, attempts: 1, createdAt: now, updatedAt: now,
                            error: nil, resultsPath: results, childPID: nil, history: [])
        try Outbox(layout: spool.layout).create(job: job, files: Outbox.dicomFiles(in: results),
                                                destinations: destinations.map { .init(name: $0, aeTitle: $0.uppercased(), host: "127.0.0.1", port: 104) },
                                                now: now)
        return job.versionName
    }

    func pump(_ d: Dispatcher, now: () -> Date = Date.init, until: () -> Bool) {
        let deadline = Date().addingTimeInterval(10)
        while !until() && Date() < deadline { d.tick(now: now()); usleep(10_000) }
    }

    @Test func transientFailuresBackOffThenDeliver() throws {
        let spool = try Spool()
        defer { spool.remove() }
        let name = try queue(spool, destinations: ["pacs"])
        let sender = ScriptedSender([.transient("connection refused"), .transient("connection refused"), .sent])
        var c = spool.configuration()
        c.sending.retryInitialSeconds = 10
        let d = Dispatcher(configuration: c, layout: spool.layout, sender: sender, log: spool.log)
        let outbox = Outbox(layout: spool.layout)

        d.tick()
        pump(d) { sender.callCount == 1 && d.sendsInFlight == 0 }
        d.tick()
        let after1 = try #require(outbox.all(.pending).first?.destinations.first)
        #expect(after1.attempts == 1 && after1.lastError == "connection refused")
        let wait = after1.nextAttemptAt.timeIntervalSinceNow
        #expect(wait > 7 && wait < 12.5, "first retry after ~10 s ± 20 %, got \(wait)")
        d.tick()
        #expect(sender.callCount == 1, "not retried before the backoff has passed")

        // Jump the clock past each backoff.
        var clock = Date().addingTimeInterval(13)
        pump(d, now: { clock }) { sender.callCount == 2 && d.sendsInFlight == 0 }
        d.tick(now: clock)
        let after2 = try #require(outbox.all(.pending).first?.destinations.first)
        let wait2 = after2.nextAttemptAt.timeIntervalSince(clock)
        #expect(after2.attempts == 2 && wait2 > 15 && wait2 < 24.5, "second retry after ~20 s, got \(wait2)")
        clock = clock.addingTimeInterval(25)
        pump(d, now: { clock }) { !outbox.all(.sent).isEmpty }
        let sent = try #require(outbox.all(.sent).first)
        #expect(sent.name == name && sent.destinations[0].state == .sent && sent.destinations[0].attempts == 3)
        #expect(sender.calls.withLock { $0.last?.files } == ["sc_1.dcm", "sr.dcm"])
    }

    @Test func permanentRefusalGoesToFailedAndRetryRequeuesIt() throws {
        let spool = try Spool()
        defer { spool.remove() }
        let name = try queue(spool, destinations: ["a", "b"])
        let sender = ScriptedSender([.permanent("association rejected: called AE title not recognized")])
        let d = Dispatcher(configuration: spool.configuration(), layout: spool.layout, sender: sender, log: spool.log)
        let outbox = Outbox(layout: spool.layout)
        pump(d) { !outbox.all(.failed).isEmpty }
        let failed = try #require(outbox.all(.failed).first)
        #expect(failed.destinations.allSatisfy { $0.state == .failed && $0.lastError?.contains("called AE") == true })
        #expect(sender.callCount == 2)          // one attempt per destination, no retries
        try outbox.requeue(name)
        #expect(outbox.all(.pending).first?.destinations.allSatisfy { $0.state == .pending && $0.attempts == 0 } == true)
    }

    @Test func oneDestinationDownDoesNotHoldTheOther() throws {
        let spool = try Spool()
        defer { spool.remove() }
        _ = try queue(spool, destinations: ["down", "up"])
        final class PerDestination: ResultSender {
            func send(files: [String], to d: DestinationSendState, callingAETitle: String, timeoutSeconds: Int,
              tls: TLSSettings?) -> SendResult {
                d.name == "up" ? .sent : .transient("connection refused")
            }
        }
        let d = Dispatcher(configuration: spool.configuration(), layout: spool.layout, sender: PerDestination(), log: spool.log)
        let outbox = Outbox(layout: spool.layout)
        pump(d) { outbox.all(.pending).first?.destinations.first { $0.name == "up" }?.state == .sent }
        let entry = try #require(outbox.all(.pending).first)
        #expect(entry.destinations.first { $0.name == "down" }?.state == .pending)
    }

    @Test func backoffDoublesAndIsCapped() {
        #expect(Dispatcher.backoff(attempt: 1, initial: 5, maximum: 300, jitter: 1) == 5)
        #expect(Dispatcher.backoff(attempt: 3, initial: 5, maximum: 300, jitter: 1) == 20)
        #expect(Dispatcher.backoff(attempt: 20, initial: 5, maximum: 300, jitter: 1) == 300)
        #expect(Dispatcher.backoff(attempt: 2, initial: 5, maximum: 300, jitter: 1.2) == 12)
    }
}
