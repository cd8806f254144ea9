/// What the C-STORE SCP asks of its owner. Called on DCMTK's threads, never on Swift's
/// cooperative pool; calls for different associations run concurrently.
public protocol StoreSCPDelegate: AnyObject, Sendable {
    /// Accept or reject an association request. Runs on the accept thread: while it runs no
    /// other request is read, so it should return quickly. The association limit is checked after
    /// an `.accept`.
    func decide(_ association: AssociationInfo) -> AssociationDecision

    /// Keep (or refuse) a received instance and return the status of its C-STORE-RSP. Runs on the
    /// association's thread; the response is sent only after it returns, so answer success only
    /// for what is durable.
    func store(_ request: borrowing StoreRequest) -> StoreResponse

    /// Something happened, for the log. Runs on the accept thread (`.rejected`, `.failure`) or the
    /// association's thread (the others); `association` is nil for failures outside an association.
    func event(_ event: SCPEvent, association: AssociationInfo?)
}
