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
    /// uncompressed ones only.
    init(acceptAll: Bool) throws {
        port = try FreePort.next()
        directory = TemporaryDirectory.make("ctperf-storescp")
        process = try BackgroundProcess("storescp", (acceptAll ? ["+xa"] : []) +
                                        ["-aet", aeTitle, "-od", directory, String(port)],
                                        environment: ["TCP_NODELAY": "1"])
        // Listening once it answers a C-ECHO.
        try Poll.until(timeoutSeconds: 10, "storescp to listen on port \(port)") {
            (try? StoreSCU.echo(target(timeoutSeconds: 2))) != nil
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
