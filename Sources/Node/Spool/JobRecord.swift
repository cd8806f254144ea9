import Foundation

/// Where a job is: the folder under jobs/ it sits in.
public enum JobState: String, Sendable, Codable, CaseIterable {
    case ready, running, done, failed
}

/// Where a set of results to send is: the folder under outbox/ it sits in.
public enum OutboxState: String, Sendable, Codable, CaseIterable {
    case pending, sent, failed
}

/// One perfusion acquisition to analyse: jobs/<state>/<id>/job.json.
/// The id is stable for the acquisition (study + series), so images arriving after the analysis
/// reopen the same job as a new version instead of creating a second job.
public struct JobRecord: Sendable, Codable, Equatable {
    public struct Event: Sendable, Codable, Equatable {
        public var at: Date
        public var event: String
        public var message: String
        public init(at: Date, event: String, message: String) { self.at = at; self.event = event; self.message = message }
    }

    public var id: String
    public var version: Int
    public var state: JobState
    public var studyInstanceUID: String
    public var seriesInstanceUIDs: [String]
    /// Results folder name for the study under results_dir (date, time, accession or study hash).
    public var studyFolder: String
    /// Input instances, relative to the state directory (incoming/...).
    public var inputs: [String]
    /// Hash of the sorted SOP Instance UIDs: a different value means different input.
    public var fingerprint: String
    /// Whether the collector saw a complete acquisition (false: analysed after max_wait_seconds).
    public var complete: Bool
    /// Attempts of the current version.
    public var attempts: Int
    public var createdAt: Date
    public var updatedAt: Date
    /// Why the job failed (last error), when it did.
    public var error: String?
    /// Where the results of the current version were written (absolute), once done.
    public var resultsPath: String?
    /// Process id of the running analysis (to stop an orphan after a crash).
    public var childPID: Int32?
    public var history: [Event]

    /// Folder name of this version's results and outbox entry: <id>_v<version>.
    public var versionName: String { "\(id)_v\(version)" }

    public mutating func note(_ event: String, _ message: String, at now: Date) {
        history.append(Event(at: now, event: event, message: message))
        if history.count > 50 { history.removeFirst(history.count - 50) }
        updatedAt = now
    }
}
