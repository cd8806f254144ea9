import Foundation
import DICOM
import Synchronization

/// What sending one set of files to one destination came to.
public enum SendResult: Sendable, Equatable {
    case sent
    /// Worth retrying later (peer down, timeout, 0xA7xx, transient association rejection).
    case transient(String)
    /// Will not get better by retrying (0xA9xx, 0xCxxx, permanent association rejection).
    case permanent(String)
}

/// Sends files to a destination (the real one is C-STORE; tests may substitute).
public protocol ResultSender: Sendable {
    /// `tls`: our identity and trusted CAs for a destination sent to over TLS; nil = plain TCP.
    func send(files: [String], to destination: DestinationSendState, callingAETitle: String, timeoutSeconds: Int,
              tls: TLSSettings?) -> SendResult
}

/// Delivers outbox entries to their destinations with retries, exponential backoff and jitter
/// (DESIGN.md section 3). Each send runs on its own thread, at most one per destination, so a slow
/// PACS cannot hold the main loop or the other destinations; outcomes are applied by `tick`.
public final class Dispatcher {
    struct Completion: Sendable {
        var entry: String
        var destination: String
        var result: SendResult
        var finishedAt: Date
    }

    public var configuration: NodeConfiguration
    let outbox: Outbox
    let sender: any ResultSender
    let log: Log
    /// Outcomes posted by send threads, applied by the main loop.
    final class Mailbox: Sendable {
        let completions = Mutex<[Completion]>([])
        let inFlight = Mutex<Int>(0)
    }
    let mailbox = Mailbox()
    var inFlight: Set<String> = []          // destination names with a send running

    public init(configuration: NodeConfiguration, layout: StateLayout, sender: any ResultSender, log: Log) {
        self.configuration = configuration
        self.outbox = Outbox(layout: layout)
        self.sender = sender
        self.log = log
    }

    public var sendsInFlight: Int { mailbox.inFlight.withLock { $0 } }

    /// Applies finished sends, then starts sends that are due.
    public func tick(now: Date = Date()) {
        let done = mailbox.completions.withLock { c in defer { c = [] }; return c }
        for c in done { apply(c, now: now) }

        for entry in outbox.all(.pending) {
            var record = entry
            var changed = false
            for (i, d) in record.destinations.enumerated() where d.state == .pending {
                // Give up on a destination failing transiently for too long.
                if now.timeIntervalSince(record.createdAt) > configuration.sending.giveUpAfterHours * 3600 {
                    record.destinations[i].state = .failed
                    record.destinations[i].lastError = "gave up after \(configuration.sending.giveUpAfterHours) h (sending.give_up_after_hours): " + (d.lastError ?? "")
                    changed = true
                    log.error("send-given-up", ["entry": record.name, "destination": d.name, "attempts": d.attempts])
                    continue
                }
                guard d.nextAttemptAt <= now, !inFlight.contains(d.name) else { continue }
                launch(record, destination: d)
            }
            if changed { settle(record, now: now) }
        }
    }

    /// Waits up to `seconds` for running sends (shutdown); returns how many were still running.
    public func drain(seconds: Double) -> Int {
        let deadline = Date().addingTimeInterval(seconds)
        while sendsInFlight > 0 && Date() < deadline { usleep(50_000) }
        tick()
        return sendsInFlight
    }

    func launch(_ record: OutboxRecord, destination d: DestinationSendState) {
        inFlight.insert(d.name)
        mailbox.inFlight.withLock { $0 += 1 }
        let files = record.files.map { outbox.folder(record.name, .pending) + "/" + $0 }
        let calling = configuration.effectiveCallingAETitle
        let timeout = Int(configuration.sending.timeoutSeconds)
        let tls = d.tls == true ? configuration.tls.settings : nil
        let sender = self.sender
        let entry = record.name
        log.info("send-started", ["entry": entry, "destination": d.name, "files": files.count, "attempt": d.attempts + 1])
        let thread = Thread { [mailbox] in
            let result = sender.send(files: files, to: d, callingAETitle: calling, timeoutSeconds: timeout, tls: tls)
            mailbox.completions.withLock { $0.append(Completion(entry: entry, destination: d.name, result: result, finishedAt: Date())) }
            mailbox.inFlight.withLock { $0 -= 1 }
        }
        thread.name = "send-\(d.name)"
        thread.start()
    }

    func apply(_ c: Completion, now: Date) {
        FaultPoint.hit("dispatcher.before-recording")   // sent, but not yet recorded as sent
        inFlight.remove(c.destination)
        let path = outbox.folder(c.entry, .pending) + "/send.json"
        guard var record = try? JSONFile.read(OutboxRecord.self, from: path),
              let i = record.destinations.firstIndex(where: { $0.name == c.destination }) else { return }
        record.destinations[i].attempts += 1
        switch c.result {
        case .sent:
            record.destinations[i].state = .sent
            record.destinations[i].sentAt = c.finishedAt
            record.destinations[i].lastError = nil
            log.info("send-done", ["entry": c.entry, "destination": c.destination, "files": record.files.count,
                                   "attempts": record.destinations[i].attempts])
        case .transient(let why):
            let delay = Dispatcher.backoff(attempt: record.destinations[i].attempts,
                                           initial: configuration.sending.retryInitialSeconds,
                                           maximum: configuration.sending.retryMaxSeconds)
            record.destinations[i].lastError = why
            record.destinations[i].nextAttemptAt = now.addingTimeInterval(delay)
            log.warning("send-retry", ["entry": c.entry, "destination": c.destination,
                                       "attempt": record.destinations[i].attempts,
                                       "next_in_s": String(format: "%.1f", delay), "reason": why])
        case .permanent(let why):
            record.destinations[i].state = .failed
            record.destinations[i].lastError = why
            log.error("send-failed", ["entry": c.entry, "destination": c.destination, "reason": why])
        }
        settle(record, now: now)
    }

    /// Saves the record; moves the entry to sent/ or failed/ once every destination has an outcome.
    func settle(_ record: OutboxRecord, now: Date) {
        do {
            try outbox.save(record, in: .pending)
            guard record.finished else { return }
            let allSent = record.destinations.allSatisfy { $0.state == .sent }
            try outbox.move(record.name, from: .pending, to: allSent ? .sent : .failed)
            if !allSent { log.error("outbox-failed", ["entry": record.name]) }
        } catch {
            log.error("outbox-update-failed", ["entry": record.name, "reason": "\(error)"])
        }
    }

    /// Delay before retry `attempt` (1-based): initial * 2^(attempt-1), capped, with ±20 % jitter, s.
    public static func backoff(attempt: Int, initial: Double, maximum: Double,
                               jitter: Double = Double.random(in: 0.8...1.2)) -> Double {
        let exponent = Double(max(0, min(attempt - 1, 30)))
        return min(initial * pow(2, exponent), maximum) * jitter
    }
}
