import CDCMTK
import Foundation

/// A C-STORE and C-ECHO SCP (DICOM listener) over DCMTK.
///
/// `start()` binds the port and starts an accept thread; each accepted association runs on a
/// thread of its own until the peer releases it, aborts, or stays silent for the network
/// timeout. The delegate decides on associations and keeps the instances (see
/// `StoreSCPDelegate` for which callback runs where). Accepts Verification and every storage
/// SOP class DCMTK knows, in Explicit/Implicit VR Little Endian, Explicit VR Big Endian, JPEG
/// Lossless (.57, .70), JPEG-LS (lossless and near-lossless) and RLE — not JPEG 2000.
///
/// `@unchecked Sendable`: the mutable state (`server`, `running`, `settings`) is only touched
/// under `lock`; the shim's functions on a server are themselves thread-safe, and a server is
/// freed only when the last reference (e.g. a `stop` in progress) lets go of it.
public final class StoreSCP: @unchecked Sendable {
    private let lock = NSLock()
    /// The shim's server; kept after `stop` so `activeAssociations` still counts draining ones.
    private var server: ServerHandle?
    private var running = false
    private var settings: StoreSCPSettings
    private let delegate: any StoreSCPDelegate

    public init(settings: StoreSCPSettings, delegate: any StoreSCPDelegate) {
        self.settings = settings
        self.delegate = delegate
    }

    /// Bind the port and start accepting. Throws a `DICOMError` (code `.network`) with the reason
    /// when the port cannot be used (in use, privileged), a TLS file cannot be used (unreadable,
    /// not PEM, key and certificate do not match) or the SCP is already running.
    public func start() throws {
        lock.lock()
        defer { lock.unlock() }
        guard !running else {
            throw DICOMError(.network, "the DICOM listener on port \(settings.port) is already running")
        }
        server = nil   // a stopped server's remaining threads keep what they need
        var callbacks = SCPCallbackContext.callbacks(for: delegate)
        var err = [CChar](repeating: 0, count: 512)
        var out: OpaquePointer?
        let status = settings.tls.withCSettings { tls in
            cdcm_scp_start(Int32(clamping: settings.port), Int32(clamping: settings.maxAssociations),
                           Int32(clamping: settings.networkTimeoutSeconds), tls, &callbacks, &out, &err, err.count)
        }
        guard Int(status) == CDCM_OK, let out else {
            let reason = cString(err)
            let hint = reason.contains("in use")
                ? " — another program (a second ctperfd, storescp, a PACS) holds the port; stop it or choose another port"
                : reason.contains("ermission") ? " — ports below 1024 need privileges; choose a port above 1023" : ""
            let kind = settings.tls == nil ? "DICOM listener" : "DICOM TLS listener"
            throw DICOMError(.network, "cannot start the \(kind) on port \(settings.port): \(reason)\(hint)")
        }
        server = ServerHandle(out)
        running = true
    }

    /// Stop accepting (within about 1 s; the port is free afterwards), then wait up to
    /// `waitSeconds` for running associations to end. Returns how many were still running at
    /// the deadline; those are aborted before their next command (a store in progress is
    /// finished and answered first; an idle association within about a second), and the senders
    /// retry the rest. Returns 0 when not running; `start()` may be called again afterwards.
    /// Releasing the last reference to a running StoreSCP stops it without waiting.
    @discardableResult
    public func stop(waitSeconds: Double) -> Int {
        lock.lock()
        let current = running ? server : nil
        running = false
        lock.unlock()
        guard let current else { return 0 }
        return max(Int(cdcm_scp_stop(current.pointer, waitSeconds)), 0)
    }

    /// Associations running now (after `stop`, those still draining).
    public var activeAssociations: Int {
        lock.lock()
        let current = server
        lock.unlock()
        guard let current else { return 0 }
        return Int(cdcm_scp_active_associations(current.pointer))
    }

    /// Change the association limit and the network timeout; applies at once to new requests and
    /// to the next wait of running associations. (The port changes only with stop and start.)
    public func update(maxAssociations: Int, networkTimeoutSeconds: Int) {
        lock.lock()
        defer { lock.unlock() }
        settings.maxAssociations = maxAssociations
        settings.networkTimeoutSeconds = networkTimeoutSeconds
        if let server {
            cdcm_scp_configure(server.pointer, Int32(clamping: maxAssociations), Int32(clamping: networkTimeoutSeconds))
        }
    }
}

/// Owns one shim server and frees it (stopping it first, without waiting) when released.
/// `@unchecked Sendable`: the pointer never changes and the shim's server functions are
/// thread-safe; `cdcm_scp_free` runs once, in `deinit`, after every user has let go.
private final class ServerHandle: @unchecked Sendable {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { cdcm_scp_free(pointer) }
}
