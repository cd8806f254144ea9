import Foundation
import Node
import Phantom
import TestSupport
import Testing

/// A PACS down for minutes (long: scripts/soak.sh): results wait in the outbox, visible in
/// `ctperf status`, retried with backoff, and are all delivered once it is back.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["CTPERF_SOAK"] != nil, "set CTPERF_SOAK=1 (scripts/soak.sh)"))
struct OutageSoakTests {
    @Test func destinationDownForThreeMinutesThenBack() throws {
        let pacsPort = try FreePort.next()
        let node = try NodeHarness(destinations: [("pacs", "PACS", pacsPort)])
        node.extraConfig = ""
        defer { node.remove() }
        try node.start()
        for (i, c) in [PhantomCase.strokeLeft, .smallCore].enumerated() {
            let (files, _) = try Studies.write(c, into: node.root + "/src\(i)")
            #expect(try node.send(files).status == 0)
        }
        let outage = 180.0
        let down = Date()
        try node.wait("two results waiting", seconds: 120) { Outbox(layout: node.layout).all(.pending).count == 2 }
        // The test's sending settings: retry 1 s doubling to 2 s; the default 5 s doubling to 300 s
        // is unit-tested. Keep the PACS down for the outage.
        try Poll.until(timeoutSeconds: outage + 10, "the outage to last") { Date().timeIntervalSince(down) >= outage }
        let status = try ExternalTool.run(Built.ctperf, ["status", "--state-dir", node.stateDir])
        #expect(status.stdout.contains("sends pending: 2") && status.stdout.contains("last error:"), "\(status.stdout)")
        let attempts = Outbox(layout: node.layout).all(.pending).map { $0.destinations[0].attempts }
        let pacs = try NodeEndToEndTests.storescp(node.root + "/pacs", port: pacsPort)
        defer { pacs.stop() }
        let back = Date()
        try node.wait("delivery after the outage", seconds: 60) { Outbox(layout: node.layout).all(.sent).count == 2 }
        let delivered = DicomChecks.files(node.root + "/pacs").count
        #expect(delivered == 12)
        print(String(format: "outage: PACS down %.0f s; %@ attempts per result during it; both results delivered %.1f s after it came back; %d of 12 objects delivered",
                     outage, attempts.map(String.init).joined(separator: " and "), Date().timeIntervalSince(back), delivered))
    }
}
