/// Who asked for an association: AE titles and the peer's address, numbered in arrival order.
public struct AssociationInfo: Sendable, Equatable {
    /// 1, 2, 3 … per started SCP, in arrival order (rejected requests are numbered too).
    public var id: UInt64
    /// The peer's AE title (trimmed).
    public var callingAETitle: String
    /// The AE title the peer asked for (trimmed); ours when it is configured right.
    public var calledAETitle: String
    /// The peer's IPv4 address, dotted (read from the connection's socket).
    public var peerAddress: String

    public init(id: UInt64, callingAETitle: String, calledAETitle: String, peerAddress: String) {
        self.id = id
        self.callingAETitle = callingAETitle
        self.calledAETitle = calledAETitle
        self.peerAddress = peerAddress
    }
}

/// Why an association request is rejected (PS3.8 9.3.4, A-ASSOCIATE-RJ).
public enum AssociationRejection: Sendable, Equatable {
    /// Permanent, service user: the calling AE title is not allowed.
    case callingAETitleNotRecognized
    /// Permanent, service user: the called AE title is not ours.
    case calledAETitleNotRecognized
    /// Permanent, service user: no reason given (e.g. the peer's address is not allowed).
    case noReasonGiven
    /// Transient, service provider: too many associations; the peer should retry later.
    case localLimitExceeded
}

/// The delegate's answer to an association request.
public enum AssociationDecision: Sendable, Equatable {
    case accept
    case reject(AssociationRejection)
}

/// Something that happened on the SCP, for the log.
public enum SCPEvent: Sendable, Equatable {
    /// An association was accepted and acknowledged.
    case accepted
    /// An association request was rejected (by the delegate or the association limit).
    case rejected(AssociationRejection)
    /// The peer released the association normally.
    case released
    /// The association ended abnormally; the text says why (peer abort, network error, timeout, stop).
    case aborted(String)
    /// A C-ECHO was answered with success.
    case echo
    /// A failure outside an association (e.g. an unreadable association request).
    case failure(String)
}
