#if canImport(Glibc)
import Glibc
#endif
import DICOM
import Foundation
import Synchronization

/// ctperfd: the pipeline receive -> detect -> analyse -> send, wired on one main loop.
/// The receiver runs on DCMTK's threads and hands arrivals over through an inbox; the collector,
/// worker, dispatcher and cleaner each `tick` on the main loop, which also answers systemd
/// (READY, STATUS, WATCHDOG, RELOADING, STOPPING) and handles SIGHUP (reload) and SIGTERM (drain).
public final class Daemon {
    public static let version = "0.1.0"

    let configPath: String
    var configuration: NodeConfiguration
    let log: Log
    let layout: StateLayout
    let inbox = ArrivalInbox()
    let store: InstanceStore
    let receiver: NodeReceiver
    let scp: StoreSCP
    /// The DICOM-over-TLS listener on tls.port (same receiver), nil when tls.port is 0.
    let tlsSCP: StoreSCP?
    let collector: Collector
    let worker: Worker
    let dispatcher: Dispatcher
    let cleaner: Cleaner
    let notify = SystemdNotify()
    let startedAt = Date()
    var lastReload: Date?
    var lastReloadError: String?
    /// Main loop period, s: the resolution of quiet_seconds and of retries.
    let tickSeconds = 0.2

    public init(configPath: String, configuration: NodeConfiguration, log: Log, sender: any ResultSender = DICOMSender()) throws {
        self.configPath = configPath
        self.configuration = configuration
        self.log = log
        layout = StateLayout(root: configuration.node.stateDir)
        do {
            try layout.create()
            try Directory.create(configuration.node.resultsDir)
        } catch {
            throw NodeError("cannot prepare the state directory: \(error) (node.state_dir / node.results_dir must be writable by the service user)")
        }
        store = InstanceStore(layout: layout, minFreeDiskMB: configuration.node.minFreeDiskMB, inbox: inbox, log: log)
        store.update(maxImagePixels: configuration.node.maxImagePixels)
        receiver = try NodeReceiver(configuration: configuration, store: store, log: log)
        scp = StoreSCP(settings: StoreSCPSettings(port: configuration.node.port,
                                                  maxAssociations: configuration.node.maxAssociations,
                                                  networkTimeoutSeconds: configuration.node.networkTimeoutSeconds),
                       delegate: receiver)
        tlsSCP = configuration.tls.port == 0 ? nil
            : StoreSCP(settings: StoreSCPSettings(port: configuration.tls.port,
                                                  maxAssociations: configuration.node.maxAssociations,
                                                  networkTimeoutSeconds: configuration.node.networkTimeoutSeconds,
                                                  tls: configuration.tls.settings),
                       delegate: receiver)
        collector = Collector(configuration: configuration, layout: layout, inbox: inbox, log: log)
        worker = Worker(configuration: configuration, layout: layout, log: log)
        dispatcher = Dispatcher(configuration: configuration, layout: layout, sender: sender, log: log)
        cleaner = Cleaner(configuration: configuration, layout: layout, log: log)
    }

    /// Runs until SIGTERM/SIGINT; returns the exit status.
    public func run() throws -> Int32 {
        log.info("starting", ["version": Daemon.version, "config": configPath, "ae_title": configuration.node.aeTitle,
                              "port": configuration.node.port, "state_dir": layout.root,
                              "results_dir": configuration.node.resultsDir,
                              "destinations": configuration.destinations.map(\.name).joined(separator: ",")])
        worker.recover()
        collector.recover()
        do {
            try scp.start()
        } catch {
            throw NodeError("cannot listen on port \(configuration.node.port): \(error)")
        }
        log.info("listening", ["port": configuration.node.port, "ae_title": configuration.node.aeTitle,
                               "max_associations": configuration.node.maxAssociations, "tls": false])
        if let tlsSCP {
            do {
                try tlsSCP.start()
            } catch {
                scp.stop(waitSeconds: 0)
                throw NodeError("cannot listen for DICOM over TLS on port \(configuration.tls.port): \(error)")
            }
            log.info("listening", ["port": configuration.tls.port, "ae_title": configuration.node.aeTitle,
                                   "max_associations": configuration.node.maxAssociations, "tls": true,
                                   "client_certificates": configuration.tls.caCertificates.isEmpty ? "not verified" : "required"])
        }
        writeStatus(state: "running")
        notify.send("READY=1\nSTATUS=listening on port \(configuration.node.port)\nMAINPID=\(getpid())")

        var lastStatus = Date.distantPast
        var lastSummary = ""
        var lastWatchdog = Date.distantPast
        while !Signals.stopRequested {
            let now = Date()
            if Signals.takeReload() { reload() }
            collector.tick(now: now)
            worker.tick(now: now)
            dispatcher.tick(now: now)
            for study in cleaner.tick(now: now) { collector.forget(study: study) }
            // status.json and STATUS= follow every change of the figures (and refresh every 5 s,
            // which is how `ctperf status` tells a live daemon from a dead one).
            let s = makeStatus(state: "running")
            if s.summary != lastSummary || now.timeIntervalSince(lastStatus) >= 5 {
                writeStatus(s)
                if s.summary != lastSummary { notify.send("STATUS=\(s.summary)") }
                lastSummary = s.summary
                lastStatus = now
            }
            if let interval = notify.watchdogInterval, now.timeIntervalSince(lastWatchdog) >= interval / 3 {
                notify.send("WATCHDOG=1")
                lastWatchdog = now
            }
            usleep(UInt32(tickSeconds * 1_000_000))
        }
        return shutdown()
    }

    /// SIGTERM: stop accepting, let in-flight associations finish, register what they stored,
    /// stop analyses (requeued for the next start), give running sends a moment, exit.
    func shutdown() -> Int32 {
        notify.send("STOPPING=1\nSTATUS=stopping: finishing associations")
        log.info("stopping", ["active_associations": activeAssociations])
        writeStatus(state: "stopping")
        // Both listeners stop and drain at the same time (one thread each).
        let wait = Double(configuration.node.networkTimeoutSeconds) + 5
        let listeners = [scp] + (tlsSCP.map { [$0] } ?? [])
        let remaining = Mutex<Int>(0)
        DispatchQueue.concurrentPerform(iterations: listeners.count) { i in
            let left = listeners[i].stop(waitSeconds: wait)
            remaining.withLock { $0 += left }
        }
        let left = remaining.withLock { $0 }
        if left > 0 { log.warning("associations-abandoned", ["count": left]) }
        collector.tick()
        worker.stop()
        let sending = dispatcher.drain(seconds: configuration.sending.timeoutSeconds)
        if sending > 0 { log.warning("sends-interrupted", ["count": sending, "note": "retried at the next start"]) }
        let s = writeStatus(state: "stopped")
        log.info("stopped", ["instances_stored": s.instancesStored, "jobs_ready": s.jobsReady])
        return 0
    }

    /// SIGHUP: swap in a valid configuration; keep the old one when the new file is invalid.
    func reload() {
        notify.send("RELOADING=1\nMONOTONIC_USEC=\(Daemon.monotonicMicroseconds())")
        defer { notify.send("READY=1") }
        lastReload = Date()
        var next: NodeConfiguration
        do {
            next = try ConfigLoader.load(path: configPath)
        } catch {
            lastReloadError = "\(error)"
            log.error("reload-rejected", ["config": configPath, "reason": "\(error)", "note": "the previous configuration keeps running"])
            writeStatus(state: "running")
            return
        }
        let restart = ConfigLoader.restartRequired(old: configuration, new: next)
        if !restart.isEmpty {
            log.warning("reload-needs-restart", ["keys": restart.joined(separator: ","), "note": "kept at their running values until ctperfd restarts"])
            next.node.port = configuration.node.port
            next.node.stateDir = configuration.node.stateDir
            next.tls.port = configuration.tls.port
        }
        do {
            try receiver.update(next)
        } catch {
            lastReloadError = "\(error)"
            log.error("reload-rejected", ["config": configPath, "reason": "\(error)"])
            return
        }
        store.update(minFreeDiskMB: next.node.minFreeDiskMB)
        store.update(maxImagePixels: next.node.maxImagePixels)
        scp.update(maxAssociations: next.node.maxAssociations, networkTimeoutSeconds: next.node.networkTimeoutSeconds)
        tlsSCP?.update(maxAssociations: next.node.maxAssociations, networkTimeoutSeconds: next.node.networkTimeoutSeconds)
        collector.configuration = next
        worker.configuration = next
        dispatcher.configuration = next
        cleaner.configuration = next
        log.setLevel(next.logging.level == "debug" ? .debug : .info)
        configuration = next
        lastReloadError = nil
        log.info("reloaded", ["config": configPath, "destinations": next.destinations.map(\.name).joined(separator: ","),
                              "quiet_seconds": next.detection.quietSeconds])
        writeStatus(state: "running")
    }

    @discardableResult
    func writeStatus(state: String) -> DaemonStatus {
        let s = makeStatus(state: state)
        writeStatus(s)
        return s
    }

    func writeStatus(_ s: DaemonStatus) {
        do { try JSONFile.replace(s, at: layout.statusFile) } catch {
            log.error("status-write-failed", ["reason": "\(error)"])
        }
    }

    func makeStatus(state: String) -> DaemonStatus {
        let r = store.figures
        let c = collector.figures
        let s = DaemonStatus(pid: getpid(), version: Daemon.version, configPath: configPath, aeTitle: configuration.node.aeTitle,
                             port: configuration.node.port, startedAt: startedAt, updatedAt: Date(), state: state,
                             activeAssociations: activeAssociations, instancesStored: r.stored, instancesRefused: r.refused,
                             bytesStored: r.bytes, studiesCollecting: c.collecting,
                             jobsReady: Directory.list(layout.jobs(.ready)).count, jobsRunning: worker.runningCount,
                             outboxPending: Directory.list(layout.outbox(.pending)).count,
                             sendsInFlight: dispatcher.sendsInFlight, lastReload: lastReload, lastReloadError: lastReloadError)
        return s
    }

    /// Associations running on both listeners.
    var activeAssociations: Int { scp.activeAssociations + (tlsSCP?.activeAssociations ?? 0) }

    static func monotonicMicroseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec) / 1000
    }
}
