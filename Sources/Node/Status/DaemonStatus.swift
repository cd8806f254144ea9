import Foundation

/// The daemon's live figures, rewritten to <state>/status.json every few seconds so that
/// `ctperf status` (another process, maybe another user) can show them.
public struct DaemonStatus: Sendable, Codable, Equatable {
    public var schema = "ctperfd.status/1"
    public var pid: Int32
    public var version: String
    public var configPath: String
    public var aeTitle: String
    public var port: Int
    public var startedAt: Date
    public var updatedAt: Date
    public var state: String                 // starting, running, reloading, stopping
    public var activeAssociations: Int
    public var instancesStored: Int
    public var instancesRefused: Int
    public var bytesStored: Int
    public var studiesCollecting: Int
    public var jobsReady: Int
    public var jobsRunning: Int
    public var outboxPending: Int
    public var sendsInFlight: Int
    public var lastReload: Date?
    public var lastReloadError: String?

    /// The one-line summary systemd shows (STATUS=).
    public var summary: String {
        "\(activeAssociations) associations, \(instancesStored) instances stored, \(studiesCollecting) studies collecting, "
            + "\(jobsReady) jobs queued, \(jobsRunning) running, \(outboxPending) sends pending"
    }

    /// Seconds after which a status file whose writer stopped updating it is considered stale.
    public static let staleAfterSeconds = 15.0
}
