/// Where the C-STORE SCU sends: our AE title, the peer's AE title, host, port and optional TLS.
public struct StoreSCUTarget: Sendable, Equatable {
    /// Our AE title (the peer's allow-list must know it).
    public var callingAETitle: String
    /// The peer's AE title.
    public var calledAETitle: String
    /// Host name or IPv4 address.
    public var host: String
    public var port: Int
    /// Bounds connecting, association negotiation and each wait for a response, s.
    public var timeoutSeconds: Int
    /// DICOM over TLS to this peer (our certificate as client identity, the trusted CAs to verify
    /// the peer); nil = plain TCP.
    public var tls: TLSSettings?

    public init(callingAETitle: String, calledAETitle: String, host: String, port: Int, timeoutSeconds: Int = 30,
                tls: TLSSettings? = nil) {
        self.callingAETitle = callingAETitle
        self.calledAETitle = calledAETitle
        self.host = host
        self.port = port
        self.timeoutSeconds = timeoutSeconds
        self.tls = tls
    }
}

/// What the peer answered for one sent file.
public struct StoreOutcome: Sendable, Equatable {
    public var path: String
    public var sopInstanceUID: String
    /// DIMSE status of the C-STORE-RSP (PS3.4 Annex B.2.3).
    public var status: UInt16
    /// The response's Error Comment, "" when none.
    public var comment: String

    /// Whether the peer kept the instance: success or a warning (0xBxxx).
    public var stored: Bool { status == 0 || (status & 0xF000) == 0xB000 }

    public init(path: String, sopInstanceUID: String, status: UInt16, comment: String) {
        self.path = path
        self.sopInstanceUID = sopInstanceUID
        self.status = status
        self.comment = comment
    }
}

/// An association-level failure of the SCU: transient (retry later) or permanent (needs a person).
public struct StoreSCUError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Peer down or unreachable, timeout, transient rejection (busy), aborted association.
        case transient
        /// Permanent rejection (e.g. unknown AE title), no presentation context for a SOP class,
        /// an unreadable file, a TLS file that cannot be used or a failed TLS handshake (e.g. the
        /// peer's certificate is not signed by a trusted CA).
        case permanent
    }

    public var kind: Kind
    public var message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
