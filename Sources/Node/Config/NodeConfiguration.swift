/// Everything ctperfd reads from its configuration file (default /etc/ctperf/ctperfd.toml).
/// Field names follow the file's keys (snake_case there, camelCase here); units are in the names.
/// Defaults are the values a fresh install runs with; `config/ctperfd.toml` documents each key.
public struct NodeConfiguration: Sendable, Equatable {
    /// [node]: how the node is reached and where it keeps its state.
    public struct Node: Sendable, Equatable {
        /// Our AE title (called AE title checked on every association), 1–16 characters.
        public var aeTitle = "CTPERF"
        /// TCP port of the DICOM listener (plain DICOM).
        public var port = 11112
        /// State directory: spool, jobs, outbox (DESIGN.md section 3). Absolute path.
        public var stateDir = "/var/lib/ctperf"
        /// Where the researcher's copy of results goes (NIfTI, JSON, CSV, PNG). Absolute path.
        public var resultsDir = "/var/lib/ctperf/results"
        /// Concurrent associations accepted; more are rejected (transient, local limit).
        public var maxAssociations = 8
        /// Calling AE titles allowed to associate; empty = any.
        public var allowedCallingAETitles: [String] = []
        /// Peer IPv4 addresses or CIDR blocks allowed to associate; empty = any.
        public var allowedHosts: [String] = []
        /// Instances are refused with 0xA700 when the state directory's file system has less free space.
        public var minFreeDiskMB = 1024
        /// Largest image accepted: Rows x Columns x NumberOfFrames (pixels). Larger datasets are
        /// refused (0xA900) before anything is decoded or allocated for them.
        public var maxImagePixels = 1 << 30
        /// DIMSE/ACSE timeout of received associations, s.
        public var networkTimeoutSeconds = 60
        public init() {}
    }

    /// [detection]: when an acquisition counts as complete (DESIGN.md section 4).
    public struct Detection: Sendable, Equatable {
        /// Quiet time after the last image of a consistent acquisition before it is analysed, s.
        public var quietSeconds = 20.0
        /// Quiet time after which an acquisition that is still inconsistent (missing slices or time
        /// points) is analysed anyway with what arrived, s. At least quiet_seconds.
        public var maxWaitSeconds = 300.0
        /// Minimum number of time points for a perfusion acquisition.
        public var minTimePoints = 10
        /// Minimum duration from first to last time point, s.
        public var minDurationSeconds = 30.0
        public init() {}
    }

    /// [analysis]: what the worker passes to `ctperf analyze`, and its limits.
    public struct Analysis: Sendable, Equatable {
        /// Hypoperfusion threshold, s.
        public var tmaxThresholdS = 6.0
        /// Core threshold as a fraction of reference CBF (0.30 = rCBF < 30 %).
        public var rcbfThreshold = 0.30
        /// Time limit of one analysis child process, s.
        public var timeoutSeconds = 600.0
        /// Attempts per job version before it fails for good (crash or timeout are retried).
        public var maxAttempts = 2
        /// The ctperf executable; empty = the one installed next to ctperfd.
        public var ctperfPath = ""
        /// Concurrent analyses.
        public var workers = 1
        public init() {}
    }

    /// [sending]: how results are sent to the destinations.
    public struct Sending: Sendable, Equatable {
        /// Our calling AE title towards destinations; empty = node.ae_title.
        public var callingAETitle = ""
        /// First retry delay after a transient failure, s; doubled per attempt (with jitter).
        public var retryInitialSeconds = 5.0
        /// Longest retry delay, s.
        public var retryMaxSeconds = 300.0
        /// A destination still failing transiently after this long is given up (moved to failed), h.
        public var giveUpAfterHours = 72.0
        /// Connection and DIMSE timeout towards destinations, s.
        public var timeoutSeconds = 30.0
        public init() {}
    }

    /// [[destination]]: a PACS (or any C-STORE SCP) that receives the SC images and the SR.
    public struct Destination: Sendable, Equatable {
        /// Unique short name used in logs, status and the outbox ([A-Za-z0-9_.-]).
        public var name: String
        public var aeTitle: String
        public var host: String
        public var port: Int
        /// Send over DICOM TLS: [tls] certificate/private_key as our client identity,
        /// ca_certificates to verify the destination.
        public var tls: Bool
        public init(name: String, aeTitle: String, host: String, port: Int, tls: Bool = false) {
            self.name = name; self.aeTitle = aeTitle; self.host = host; self.port = port; self.tls = tls
        }
    }

    /// [tls]: DICOM over TLS (PS3.15 Annex B.1) for a second listener and for destinations with
    /// tls = true.
    public struct TLS: Sendable, Equatable {
        /// TCP port of the TLS listener, next to the plain one; 0 = no TLS listener.
        public var port = 0
        /// Our PEM certificate (listener identity, and client identity towards destinations). Absolute path.
        public var certificate = ""
        /// Its unencrypted PEM private key. Absolute path.
        public var privateKey = ""
        /// PEM CA certificates peers must be signed by (mutual TLS on the listener, server check
        /// when sending); empty = peers are not verified. Absolute paths.
        public var caCertificates: [String] = []
        public init() {}

        /// Whether a certificate and key are configured (needed by the listener and by TLS destinations).
        public var hasIdentity: Bool { !certificate.isEmpty && !privateKey.isEmpty }
    }

    /// [retention]: how long patient data stays in the spool and results.
    public struct Retention: Sendable, Equatable {
        /// Studies whose last image is older than this are deleted (spool, jobs, outbox; results too
        /// unless keep_results is true), days.
        public var keepDays = 7.0
        /// Keep the results directory when the spool is cleaned.
        public var keepResults = false
        /// How often the cleaner runs, min.
        public var intervalMinutes = 60.0
        public init() {}
    }

    /// [logging]
    public struct Logging: Sendable, Equatable {
        /// "info" (events) or "debug" (also each instance stored).
        public var level = "info"
        public init() {}
    }

    public var node = Node()
    public var detection = Detection()
    public var analysis = Analysis()
    public var sending = Sending()
    public var destinations: [Destination] = []
    public var tls = TLS()
    public var retention = Retention()
    public var logging = Logging()
    /// The file this was read from (for messages), or "" for defaults.
    public var sourcePath = ""

    public init() {}

    /// The calling AE title used when sending.
    public var effectiveCallingAETitle: String {
        sending.callingAETitle.isEmpty ? node.aeTitle : sending.callingAETitle
    }
}
