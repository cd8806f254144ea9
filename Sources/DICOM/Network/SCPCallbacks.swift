import CDCMTK

/// The delegate as the shim's callback context. The shim holds one retain and gives it back
/// through `release` when its last thread no longer needs the delegate.
final class SCPCallbackContext: Sendable {
    let delegate: any StoreSCPDelegate

    init(_ delegate: any StoreSCPDelegate) { self.delegate = delegate }

    /// C callbacks that forward to `delegate`; the returned context carries a +1 retain.
    static func callbacks(for delegate: any StoreSCPDelegate) -> cdcm_scp_callbacks {
        var callbacks = cdcm_scp_callbacks()
        callbacks.context = Unmanaged.passRetained(SCPCallbackContext(delegate)).toOpaque()
        callbacks.decide = { context, info in
            let decision = SCPCallbackContext.from(context).delegate.decide(AssociationInfo(info!.pointee))
            switch decision {
            case .accept: return Int32(CDCM_DECISION_ACCEPT)
            case .reject(let reason): return reason.shimCode
            }
        }
        callbacks.store = { context, request, comment, commentLength in
            let response = SCPCallbackContext.from(context).delegate.store(StoreRequest(request!.pointee))
            if let text = response.errorComment, let comment, commentLength > 0 {
                let bytes = Array(text.utf8.prefix(commentLength - 1))
                for (i, b) in bytes.enumerated() { comment[i] = CChar(bitPattern: b) }
                comment[bytes.count] = 0
            }
            return response.status
        }
        callbacks.event = { context, kind, detail, message, info in
            let text = message.map { String(cString: $0) } ?? ""
            let association = info.map { AssociationInfo($0.pointee) }
            let event: SCPEvent
            switch Int(kind) {
            case CDCM_EVENT_ACCEPTED: event = .accepted
            case CDCM_EVENT_REJECTED: event = .rejected(AssociationRejection(shimCode: detail))
            case CDCM_EVENT_RELEASED: event = .released
            case CDCM_EVENT_ABORTED: event = .aborted(text)
            case CDCM_EVENT_ECHO: event = .echo
            default: event = .failure(text)
            }
            SCPCallbackContext.from(context).delegate.event(event, association: association)
        }
        callbacks.release = { context in
            Unmanaged<SCPCallbackContext>.fromOpaque(context!).release()
        }
        return callbacks
    }

    private static func from(_ context: UnsafeMutableRawPointer?) -> SCPCallbackContext {
        Unmanaged<SCPCallbackContext>.fromOpaque(context!).takeUnretainedValue()
    }
}

extension AssociationRejection {
    /// The shim's CDCM_REJECT_* code.
    var shimCode: Int32 {
        switch self {
        case .callingAETitleNotRecognized: return Int32(CDCM_REJECT_CALLING_AE)
        case .calledAETitleNotRecognized: return Int32(CDCM_REJECT_CALLED_AE)
        case .noReasonGiven: return Int32(CDCM_REJECT_NO_REASON)
        case .localLimitExceeded: return Int32(CDCM_REJECT_LOCAL_LIMIT)
        }
    }

    init(shimCode: Int32) {
        switch Int(shimCode) {
        case CDCM_REJECT_CALLING_AE: self = .callingAETitleNotRecognized
        case CDCM_REJECT_CALLED_AE: self = .calledAETitleNotRecognized
        case CDCM_REJECT_LOCAL_LIMIT: self = .localLimitExceeded
        default: self = .noReasonGiven
        }
    }
}
