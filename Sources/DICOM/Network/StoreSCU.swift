import CDCMTK
import Foundation

/// C-STORE and C-ECHO SCU over DCMTK: one association per call, on the calling thread (it
/// blocks for the whole transfer; call it from a thread of its own, not the cooperative pool).
public enum StoreSCU {
    /// Send the files over one association and return the peer's answer for each, in order.
    ///
    /// Every file is read before connecting. Compressed files go as they are when the peer accepts
    /// their transfer syntax, otherwise they are decompressed (lossless syntaxes only) and sent
    /// uncompressed. Throws `StoreSCUError` when the association fails: `.transient` for a peer that
    /// is down, unreachable, busy (transient rejection), times out or aborts; `.permanent` for a
    /// permanent rejection, a SOP class or transfer syntax the peer does not accept (nothing is
    /// sent then) or an unreadable file. Per-file refusals come back as statuses.
    public static func send(files: [String], to target: StoreSCUTarget) throws(StoreSCUError) -> [StoreOutcome] {
        guard !files.isEmpty else { return [] }
        final class Collector {
            var outcomes: [(index: Int, uid: String, status: UInt16, comment: String)] = []
        }
        let collector = Collector()
        var err = [CChar](repeating: 0, count: 1024)
        let status: Int32 = withTarget(target) { cTarget in
            withCStringArray(files) { paths in
                withExtendedLifetime(collector) {
                    cdcm_scu_send(cTarget, paths, files.count, { context, index, uid, status, comment in
                        let collector = Unmanaged<Collector>.fromOpaque(context!).takeUnretainedValue()
                        collector.outcomes.append((Int(index), String(cString: uid!), status, String(cString: comment!)))
                    }, Unmanaged.passUnretained(collector).toOpaque(), &err, err.count)
                }
            }
        }
        try check(status, err)
        return collector.outcomes.map {
            StoreOutcome(path: files[$0.index], sopInstanceUID: $0.uid, status: $0.status, comment: $0.comment)
        }
    }

    /// C-ECHO: returns when the peer answered success; throws `StoreSCUError` otherwise.
    public static func echo(_ target: StoreSCUTarget) throws(StoreSCUError) {
        var err = [CChar](repeating: 0, count: 1024)
        let status: Int32 = withTarget(target) { cdcm_scu_echo($0, &err, err.count) }
        try check(status, err)
    }

    /// Whether a failed C-STORE status is worth retrying later: 0xA7xx (out of resources),
    /// 0x0213 (resource limitation), 0x0210 (duplicate invocation) and 0xFE00 (cancelled).
    /// Everything else that is not stored is permanent: 0xA9xx (dataset does not match SOP
    /// class), 0xCxxx (cannot understand), 0x0122 (SOP class not supported), 0x0124 (not
    /// authorised), 0x0211/0x0212 (unrecognised operation, mistyped argument) …
    public static func isTransient(status: UInt16) -> Bool {
        (status & 0xFF00) == 0xA700 || status == 0x0213 || status == 0x0210 || status == 0xFE00
    }

    private static func check(_ status: Int32, _ err: [CChar]) throws(StoreSCUError) {
        switch Int(status) {
        case CDCM_OK: return
        case CDCM_SCU_TRANSIENT: throw StoreSCUError(kind: .transient, message: cString(err))
        default: throw StoreSCUError(kind: .permanent, message: cString(err))
        }
    }

    private static func withTarget<R>(_ target: StoreSCUTarget, _ body: (UnsafePointer<cdcm_scu_target>) -> R) -> R {
        target.callingAETitle.withCString { calling in
            target.calledAETitle.withCString { called in
                target.host.withCString { host in
                    target.tls.withCSettings { tls in
                        var cTarget = cdcm_scu_target(calling_ae: calling, called_ae: called, host: host,
                                                      port: Int32(clamping: target.port),
                                                      timeout_seconds: Int32(clamping: target.timeoutSeconds), tls: tls)
                        return withUnsafePointer(to: &cTarget) { body($0) }
                    }
                }
            }
        }
    }

    private static func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer<CChar>($0) }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
