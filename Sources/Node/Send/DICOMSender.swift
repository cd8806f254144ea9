import DICOM

/// Sends results with C-STORE (DCMTK through the DICOM module) and classifies the outcome.
public struct DICOMSender: ResultSender {
    public init() {}

    public func send(files: [String], to d: DestinationSendState, callingAETitle: String, timeoutSeconds: Int,
                     tls: TLSSettings?) -> SendResult {
        let target = StoreSCUTarget(callingAETitle: callingAETitle, calledAETitle: d.aeTitle, host: d.host,
                                    port: d.port, timeoutSeconds: timeoutSeconds, tls: tls)
        do {
            let outcomes = try StoreSCU.send(files: files, to: target)
            let failed = outcomes.filter { !$0.stored }
            guard let first = failed.first else { return .sent }
            let what = "\(failed.count) of \(outcomes.count) refused by \(d.aeTitle), first status "
                + String(format: "0x%04X", first.status) + (first.comment.isEmpty ? "" : " (\(first.comment))")
            return failed.allSatisfy({ StoreSCU.isTransient(status: $0.status) }) ? .transient(what) : .permanent(what)
        } catch {
            return error.kind == .transient ? .transient(error.message) : .permanent(error.message)
        }
    }
}
