/// How the C-STORE SCP listens: port, association limit, network timeout and optional TLS.
/// A plain and a TLS listener can run side by side (two `StoreSCP`s on two ports).
public struct StoreSCPSettings: Sendable, Equatable {
    /// TCP port to listen on (all IPv4 interfaces), 1–65535.
    public var port: Int
    /// Associations served at the same time; further requests are rejected (transient, local
    /// limit exceeded), so the sender retries later.
    public var maxAssociations: Int
    /// DIMSE timeout, s: the longest silence within an association (waiting for the next command
    /// or the next PDU of a dataset) before it is aborted. Also caps, at 15 s, how long reading an
    /// association request may take.
    public var networkTimeoutSeconds: Int
    /// DICOM over TLS on this port (every connection must begin with a TLS handshake); nil =
    /// plain TCP. The files are loaded by `StoreSCP.start()`.
    public var tls: TLSSettings?

    public init(port: Int, maxAssociations: Int = 8, networkTimeoutSeconds: Int = 60, tls: TLSSettings? = nil) {
        self.port = port
        self.maxAssociations = maxAssociations
        self.networkTimeoutSeconds = networkTimeoutSeconds
        self.tls = tls
    }
}
