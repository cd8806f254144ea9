import DICOM
import Foundation
import TestSupport

/// DCMTK's storescp as a receiving peer on a free loopback port, writing to a temporary
/// directory; terminated (by its process id) and cleaned up on deinit.
final class StorescpPeer {
    let port: Int
    let directory: String
    let aeTitle = "STORESCP"
    private let process: BackgroundProcess

    /// `acceptAll` (+xa) accepts compressed transfer syntaxes; without it storescp accepts
    /// uncompressed ones only. With `tls` storescp speaks DICOM over TLS with that identity and
    /// requires a client certificate signed by `certificates.caCertificate`.
    init(acceptAll: Bool, tls: (certificates: TestCertificates, identity: TestCertificates.Identity)? = nil) throws {
        port = try FreePort.next()
        directory = TemporaryDirectory.make("ctperf-storescp")
        var tlsArguments: [String] = []
        if let tls {
            tlsArguments = ["+tls", tls.identity.privateKey, tls.identity.certificate, "-pw", "+cf", tls.certificates.caCertificate]
        }
        process = try BackgroundProcess("storescp", (acceptAll ? ["+xa"] : []) + tlsArguments +
                                        ["-aet", aeTitle, "-od", directory, String(port)],
                                        environment: ["TCP_NODELAY": "1"])
        // Listening once it answers a C-ECHO (over TLS: echoscu with the client identity, not
        // checking the server's certificate, which may deliberately be untrusted).
        try Poll.until(timeoutSeconds: 10, "storescp to listen on port \(port)") {
            guard let tls else { return (try? StoreSCU.echo(target(timeoutSeconds: 2))) != nil }
            let echo = try ExternalTool.run("echoscu", ["+tls", tls.certificates.client.privateKey, tls.certificates.client.certificate,
                                                        "-pw", "-ic", "-to", "2", "-aec", aeTitle, "127.0.0.1", String(port)])
            return echo.status == 0
        }
    }

    deinit {
        process.terminate()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func target(calling: String = "CTPERF", timeoutSeconds: Int = 10) -> StoreSCUTarget {
        StoreSCUTarget(callingAETitle: calling, calledAETitle: aeTitle, host: "127.0.0.1", port: port,
                       timeoutSeconds: timeoutSeconds)
    }

    /// The files storescp wrote, by SOP Instance UID.
    func received() throws -> [String: String] {
        var out: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            let path = directory + "/" + name
            if let uid = sopInstanceUID(of: path) { out[uid] = path }
        }
        return out
    }
}
