import Foundation

/// Retention (DESIGN.md section 3): the spool holds patient data, so studies whose newest
/// instance is older than keep_days are removed — instances, finished jobs and sent/failed outbox
/// entries, and their results unless retention.keep_results. Studies with a job queued or running,
/// or results still waiting to be sent, are kept until that is over. Logs what it removed.
public final class Cleaner {
    public var configuration: NodeConfiguration
    let layout: StateLayout
    let jobs: JobStore
    let outbox: Outbox
    let log: Log
    var lastRun: Date?

    public init(configuration: NodeConfiguration, layout: StateLayout, log: Log) {
        self.configuration = configuration
        self.layout = layout
        self.jobs = JobStore(layout: layout)
        self.outbox = Outbox(layout: layout)
        self.log = log
    }

    /// Runs when the interval has passed; returns the study UIDs removed.
    @discardableResult
    public func tick(now: Date = Date()) -> [String] {
        if let lastRun, now.timeIntervalSince(lastRun) < configuration.retention.intervalMinutes * 60 { return [] }
        lastRun = now
        return clean(now: now)
    }

    /// Removes every expired study now.
    public func clean(now: Date = Date()) -> [String] {
        let cutoff = now.addingTimeInterval(-configuration.retention.keepDays * 86_400)
        let busy = Set((jobs.all(.ready) + jobs.all(.running)).map(\.studyInstanceUID))
        let pendingJobs = Set(outbox.all(.pending).map(\.jobID))
        var removed: [String] = []
        for study in Directory.list(layout.incoming) {
            let dir = layout.incoming + "/" + study
            guard let newest = Cleaner.newestModification(dir), newest < cutoff, !busy.contains(study) else { continue }
            let studyJobs = (jobs.all(.done) + jobs.all(.failed)).filter { $0.studyInstanceUID == study }
            guard !studyJobs.contains(where: { pendingJobs.contains($0.id) }) else { continue }
            var files = 0
            do {
                files = Cleaner.countFiles(dir)
                try Directory.remove(dir)
                for job in studyJobs {
                    for state in [OutboxState.sent, .failed] {
                        for entry in Directory.list(layout.outbox(state)) where entry.hasPrefix(job.id + "_v") {
                            try Directory.remove(outbox.folder(entry, state))
                        }
                    }
                    if !configuration.retention.keepResults {
                        try Directory.remove(configuration.node.resultsDir + "/" + job.studyFolder)
                    }
                    try Directory.remove(jobs.folder(job.id, job.state))
                }
                removed.append(study)
                log.info("retention-removed", ["study": study, "instances": files, "jobs": studyJobs.count,
                                               "results_kept": configuration.retention.keepResults,
                                               "newest_instance": ISO8601DateFormatter().string(from: newest)])
            } catch {
                log.error("retention-failed", ["study": study, "reason": "\(error)"])
            }
        }
        return removed
    }

    static func newestModification(_ dir: String) -> Date? {
        var newest: Date?
        let e = FileManager.default.enumerator(atPath: dir)
        while let rel = e?.nextObject() as? String {
            if let d = (try? FileManager.default.attributesOfItem(atPath: dir + "/" + rel))?[.modificationDate] as? Date {
                newest = max(newest ?? d, d)
            }
        }
        return newest
    }

    static func countFiles(_ dir: String) -> Int {
        var n = 0
        let e = FileManager.default.enumerator(atPath: dir)
        while let rel = e?.nextObject() as? String {
            if rel.hasSuffix(".dcm") { n += 1 }
        }
        return n
    }
}
