import DICOM
import Foundation

/// Groups stored instances into acquisitions and turns complete perfusion acquisitions into jobs
/// (DESIGN.md sections 3 and 4). Runs on the daemon's main loop; `tick` is the whole behaviour.
///
/// An acquisition becomes a job when it is perfusion and
/// - complete (same time points at every position, regular) and quiet for `quiet_seconds`, or
/// - still inconsistent but quiet for `max_wait_seconds` (stragglers never came; the job runs on
///   what arrived and fails with the reason if that cannot be analysed).
/// Images arriving after the job ran give a different input fingerprint: the job reopens as the
/// next version. Other series are kept, logged once as not perfusion, and never analysed.
public final class Collector {
    struct Study {
        var headers: [String: InstanceHeader] = [:]      // relative path -> header
        var arrivals: [String: Date] = [:]               // relative path -> arrival time
        var unreadable: [String: String] = [:]           // relative path -> reason
        var unread: [String] = []                        // arrivals whose headers are not read yet
        var dirty = true
        var lastEvaluated = Date.distantPast
        var reported: Set<String> = []                   // acquisitions and files already logged
    }

    /// A study still being looked at is regrouped at most this often, s: while images stream in,
    /// regrouping on every 0.2 s tick would only take CPU from the receiver.
    static let evaluationIntervalSeconds = 1.0
    /// Headers of a study's new images are read once it has been this long without a new image
    /// (or when the oldest unread image waited half of quiet_seconds), s: reading them while the
    /// images stream in would compete with the receiver for the CPU, and nothing can be decided
    /// about an acquisition that is still arriving anyway.
    static let readAfterQuietSeconds = 1.0

    public var configuration: NodeConfiguration
    let layout: StateLayout
    let jobs: JobStore
    let log: Log
    let inbox: ArrivalInbox
    var studies: [String: Study] = [:]

    public init(configuration: NodeConfiguration, layout: StateLayout, inbox: ArrivalInbox, log: Log) {
        self.configuration = configuration
        self.layout = layout
        self.jobs = JobStore(layout: layout)
        self.inbox = inbox
        self.log = log
    }

    /// Figures for status: studies known, instances known, studies still being collected.
    public var figures: (studies: Int, instances: Int, collecting: Int) {
        (studies.count, studies.values.reduce(0) { $0 + $1.headers.count }, studies.values.filter(\.dirty).count)
    }

    /// After a start: removes temporaries left by an interrupted write and queues every stored
    /// instance (arrival time = file modification time) so the next tick re-derives all decisions.
    public func recover() {
        var count = 0, removed = 0
        for study in Directory.list(layout.incoming) {
            let studyDir = layout.incoming + "/" + study
            for series in Directory.list(studyDir) {
                let seriesDir = studyDir + "/" + series
                for name in (try? FileManager.default.contentsOfDirectory(atPath: seriesDir)) ?? [] {
                    let path = seriesDir + "/" + name
                    if name.hasPrefix(".") {
                        // A temporary of a write that never finished: never answered Success.
                        try? FileManager.default.removeItem(atPath: path)
                        removed += 1
                        continue
                    }
                    guard name.hasSuffix(".dcm") else { continue }
                    let mtime = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? Date()
                    inbox.post(Arrival(relativePath: "incoming/\(study)/\(series)/\(name)", studyInstanceUID: study, at: mtime))
                    count += 1
                }
            }
        }
        log.info("spool-recovered", ["instances": count, "partial_writes_removed": removed])
    }

    /// Reads new arrivals, re-evaluates studies that changed or are waiting, creates and reopens jobs.
    public func tick(now: Date = Date()) {
        for a in inbox.drain() {
            var s = studies[a.studyInstanceUID] ?? Study()
            s.dirty = true
            s.arrivals[a.relativePath] = a.at
            s.unread.append(a.relativePath)
            studies[a.studyInstanceUID] = s
        }
        for uid in studies.keys.sorted() where !studies[uid]!.unread.isEmpty {
            let arrived = studies[uid]!.unread.compactMap { studies[uid]!.arrivals[$0] }
            let newest = arrived.max() ?? now, oldest = arrived.min() ?? now
            if now.timeIntervalSince(newest) >= Collector.readAfterQuietSeconds
                || now.timeIntervalSince(oldest) >= configuration.detection.quietSeconds / 2 {
                readHeaders(uid)
            }
        }
        for uid in studies.keys.sorted() where studies[uid]!.dirty && studies[uid]!.unread.isEmpty
            && now.timeIntervalSince(studies[uid]!.lastEvaluated) >= Collector.evaluationIntervalSeconds {
            studies[uid]!.lastEvaluated = now
            studies[uid]!.dirty = evaluate(uid, now: now)
        }
    }

    /// Reads the headers of a study's unread arrivals (unreadable files are logged once and kept
    /// out of every acquisition).
    func readHeaders(_ uid: String) {
        guard var s = studies[uid] else { return }
        for path in s.unread {
            do {
                s.headers[path] = try InstanceHeader.read(path: layout.root + "/" + path)
                s.unreadable[path] = nil
            } catch {
                if s.unreadable[path] == nil {
                    log.warning("instance-unreadable", ["study": uid, "file": path, "reason": "\(error)"])
                }
                s.unreadable[path] = "\(error)"
                s.headers[path] = nil
            }
        }
        s.unread = []
        studies[uid] = s
    }

    /// Forgets a study (the cleaner removed it).
    public func forget(study: String) { studies[study] = nil }

    var groupingOptions: GroupingOptions {
        var g = GroupingOptions()
        g.minTimePoints = configuration.detection.minTimePoints
        g.minDurationS = configuration.detection.minDurationSeconds
        return g
    }

    /// Decides every acquisition of a study; returns whether the study needs another look later.
    func evaluate(_ studyUID: String, now: Date) -> Bool {
        guard let study = studies[studyUID] else { return false }
        let paths = study.headers.keys.sorted()
        var headers = paths.map { study.headers[$0]! }
        for i in headers.indices { headers[i].path = paths[i] }      // relative paths in the groups
        let grouped = AcquisitionGrouper.group(headers, options: groupingOptions)
        var waiting = false
        for skipped in grouped.excluded where !studies[studyUID]!.reported.contains(skipped.path) {
            studies[studyUID]!.reported.insert(skipped.path)
            log.warning("instance-excluded", ["study": studyUID, "file": skipped.path, "reason": skipped.reason])
        }
        let quiet = configuration.detection.quietSeconds
        let maxWait = configuration.detection.maxWaitSeconds

        for acq in grouped.acquisitions {
            let members = acq.instanceIndices.map { headers[$0] }
            let lastArrival = members.compactMap { study.arrivals[$0.path] }.max() ?? now
            let quietFor = now.timeIntervalSince(lastArrival)
            let seriesKey = acq.seriesInstanceUIDs.joined(separator: ",")

            guard acq.perfusion else {
                if quietFor < quiet { waiting = true; continue }
                if !studies[studyUID]!.reported.contains(seriesKey) {
                    studies[studyUID]!.reported.insert(seriesKey)
                    log.info("not-perfusion", ["study": studyUID, "series": seriesKey, "instances": members.count,
                                               "reason": acq.notPerfusionReasons.joined(separator: "; ")])
                }
                continue
            }
            let ready = acq.complete ? quietFor >= quiet : quietFor >= maxWait
            if !ready { waiting = true; continue }
            if !upsertJob(acq, members: members, studyUID: studyUID, now: now) { waiting = true }
        }
        return waiting
    }

    /// Creates, updates or reopens the job of a ready acquisition. Returns false when the job is
    /// running and the acquisition must be looked at again when it finishes.
    func upsertJob(_ acq: Acquisition, members: [InstanceHeader], studyUID: String, now: Date) -> Bool {
        let id = Collector.jobID(acq, members)
        let inputs = members.map(\.path).sorted()
        let fingerprint = Collector.fingerprint(members)
        let figures: KeyValuePairs<String, CustomStringConvertible> = [
            "job": id, "study": studyUID, "series": acq.seriesInstanceUIDs.count,
            "slices": acq.sliceCount, "time_points": acq.timePointCount, "instances": members.count,
            "complete": acq.complete,
        ]
        guard var job = jobs.find(id) else {
            let record = JobRecord(id: id, version: 1, state: .ready, studyInstanceUID: studyUID,
                                   seriesInstanceUIDs: acq.seriesInstanceUIDs,
                                   studyFolder: Collector.studyFolder(members[0], studyUID),
                                   inputs: inputs, fingerprint: fingerprint, complete: acq.complete, attempts: 0,
                                   createdAt: now, updatedAt: now, error: nil, resultsPath: nil, childPID: nil,
                                   history: [.init(at: now, event: "created",
                                                   message: acq.complete ? "complete acquisition" : "incomplete after max_wait_seconds: \(acq.missing.prefix(3).joined(separator: "; "))")])
            do {
                try jobs.create(record)
                log.info(acq.complete ? "acquisition-complete" : "acquisition-incomplete-timeout", figures)
            } catch {
                log.error("job-create-failed", ["job": id, "study": studyUID, "reason": "\(error)"])
                return false
            }
            return true
        }
        if job.fingerprint == fingerprint { return true }
        switch job.state {
        case .running:
            return false
        case .ready:
            job.inputs = inputs
            job.fingerprint = fingerprint
            job.complete = acq.complete
            job.seriesInstanceUIDs = acq.seriesInstanceUIDs
            job.note("inputs-updated", "\(inputs.count) instances", at: now)
            do { try jobs.save(job) } catch {
                log.error("job-save-failed", ["job": id, "reason": "\(error)"]); return false
            }
            log.info("job-inputs-updated", figures)
            return true
        case .done, .failed:
            let before = job.inputs.count
            job.version += 1
            job.inputs = inputs
            job.fingerprint = fingerprint
            job.complete = acq.complete
            job.seriesInstanceUIDs = acq.seriesInstanceUIDs
            job.attempts = 0
            job.error = nil
            job.resultsPath = nil
            job.note("reopened", "\(inputs.count) instances (was \(before)): version \(job.version)", at: now)
            do {
                try jobs.move(job, to: .ready)
                log.info("job-reopened", ["job": id, "version": job.version, "instances": inputs.count, "previous_instances": before])
            } catch {
                log.error("job-reopen-failed", ["job": id, "reason": "\(error)"]); return false
            }
            return true
        }
    }

    // MARK: - names

    /// Stable job id for an acquisition: <StudyDate>-<hhmm>-<hash of study + first series>.
    static func jobID(_ acq: Acquisition, _ members: [InstanceHeader]) -> String {
        let h = members[0]
        let date = attribute(h, "StudyDate").filter(\.isNumber)
        let time = String(attribute(h, "StudyTime").filter(\.isNumber).prefix(4))
        let hash = StableID.hex(acq.studyInstanceUID + "|" + (acq.seriesInstanceUIDs.first ?? ""), digits: 8)
        return [date.isEmpty ? "nodate" : date, time.isEmpty ? "0000" : time, hash].joined(separator: "-")
    }

    /// Results folder of a study: <StudyDate>-<hhmm>_acc-<AccessionNumber>, or _study-<hash> when
    /// there is no accession number. Only [A-Za-z0-9._-] survive.
    static func studyFolder(_ h: InstanceHeader, _ studyUID: String) -> String {
        let date = attribute(h, "StudyDate").filter(\.isNumber)
        let time = String(attribute(h, "StudyTime").filter(\.isNumber).prefix(4))
        let accession = String(attribute(h, "AccessionNumber").filter { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }.prefix(32))
        let tail = accession.isEmpty ? "study-" + StableID.hex(studyUID, digits: 8) : "acc-" + accession
        return "\(date.isEmpty ? "nodate" : date)-\(time.isEmpty ? "0000" : time)_\(tail)"
    }

    static func fingerprint(_ members: [InstanceHeader]) -> String {
        let uids = members.map(\.sopInstanceUID).sorted().joined(separator: "\\")
        return "\(members.count)-\(StableID.hex(uids, digits: 16))"
    }

    static func attribute(_ h: InstanceHeader, _ keyword: String) -> String {
        h.copied.first { $0.keyword == keyword }?.value.trimmingCharacters(in: .whitespaces) ?? ""
    }
}
