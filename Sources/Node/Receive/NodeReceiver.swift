import DICOM
import Foundation
import Synchronization

/// The C-STORE SCP's delegate: who may associate (called AE, calling AE and peer address
/// allow-lists, DESIGN.md section 7) and keeping each instance through `InstanceStore`.
/// Called on DCMTK's accept and association threads.
public final class NodeReceiver: StoreSCPDelegate {
    struct Policy: Sendable {
        var aeTitle: String
        var allowedCalling: Set<String>
        var hosts: HostAllowList
    }

    let policy: Mutex<Policy>
    let store: InstanceStore
    let log: Log

    public init(configuration: NodeConfiguration, store: InstanceStore, log: Log) throws {
        policy = Mutex(try NodeReceiver.policy(configuration))
        self.store = store
        self.log = log
    }

    static func policy(_ c: NodeConfiguration) throws -> Policy {
        Policy(aeTitle: c.node.aeTitle.trimmingCharacters(in: .whitespaces),
               allowedCalling: Set(c.node.allowedCallingAETitles.map { $0.trimmingCharacters(in: .whitespaces) }),
               hosts: try HostAllowList(c.node.allowedHosts))
    }

    /// Applies a reloaded configuration to the next associations.
    public func update(_ c: NodeConfiguration) throws {
        let p = try NodeReceiver.policy(c)
        policy.withLock { $0 = p }
    }

    public func decide(_ a: AssociationInfo) -> AssociationDecision {
        let p = policy.withLock { $0 }
        let called = a.calledAETitle.trimmingCharacters(in: .whitespaces)
        let calling = a.callingAETitle.trimmingCharacters(in: .whitespaces)
        var rejection: (AssociationRejection, String)?
        if called != p.aeTitle {
            rejection = (.calledAETitleNotRecognized, "called AE title '\(InstanceStore.printable(called))' is not ours ('\(p.aeTitle)')")
        } else if !p.allowedCalling.isEmpty && !p.allowedCalling.contains(calling) {
            rejection = (.callingAETitleNotRecognized, "calling AE title '\(InstanceStore.printable(calling))' is not in node.allowed_calling_ae_titles")
        } else if !p.hosts.allows(a.peerAddress) {
            rejection = (.noReasonGiven, "peer address \(a.peerAddress) is not in node.allowed_hosts")
        }
        if let (why, message) = rejection {
            log.warning("association-rejected", ["association": a.id, "peer": a.peerAddress,
                                                 "calling_ae": InstanceStore.printable(calling), "reason": message])
            return .reject(why)
        }
        return .accept
    }

    public func store(_ request: borrowing StoreRequest) -> StoreResponse {
        var i = IncomingInstance(affectedSOPClassUID: request.affectedSOPClassUID,
                                 affectedSOPInstanceUID: request.affectedSOPInstanceUID,
                                 sopClassUID: request.sopClassUID, sopInstanceUID: request.sopInstanceUID,
                                 studyInstanceUID: request.studyInstanceUID, seriesInstanceUID: request.seriesInstanceUID,
                                 callingAETitle: request.association.callingAETitle,
                                 peerAddress: request.association.peerAddress, associationID: request.association.id)
        i.pixelCount = request.rows * request.columns * max(request.numberOfFrames, 1)
        let verdict = store.store(i) { consume in
            try request.withFileBytes { try consume($0) }
        }
        return StoreResponse(status: verdict.status, errorComment: verdict.comment)
    }

    public func event(_ event: SCPEvent, association a: AssociationInfo?) {
        var fields: [(String, String)] = []
        if let a {
            fields = [("association", "\(a.id)"), ("peer", a.peerAddress), ("calling_ae", InstanceStore.printable(a.callingAETitle))]
        }
        switch event {
        case .accepted: log.log(.info, "association-accepted", fields)
        case .released: log.log(.info, "association-released", fields)
        case .rejected: break   // logged with its reason by decide()
        case .aborted(let why): log.log(.warning, "association-aborted", fields + [("reason", why)])
        case .echo: log.log(.debug, "echo", fields)
        case .failure(let why): log.log(.error, "network-failure", fields + [("reason", why)])
        }
    }
}
