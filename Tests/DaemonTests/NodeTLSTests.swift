import DICOM
import Foundation
import Node
import TestSupport
import Testing

/// ctperfd with a plain and a TLS listener, and a destination reached over TLS: the built
/// binary against DCMTK's storescu and storescp in TLS mode.
@Suite(.serialized) struct NodeTLSTests {
    /// storescp as a PACS that only speaks TLS and requires a client certificate from the test CA.
    static func tlsStorescp(_ dir: String, port: Int, certificates: TestCertificates) throws -> Peer {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let identity = certificates.client
        let p = try Peer("storescp", "storescp", ["+tls", identity.privateKey, identity.certificate, "-pw",
                                                  "+cf", certificates.caCertificate,
                                                  "-aet", "PACS", "-od", dir, "+xa", "\(port)"],
                         logPath: dir + "/../storescp-\(port).log")
        try Poll.until(timeoutSeconds: 10, "storescp +tls to listen") {
            (try? ExternalTool.run("echoscu", ["+tls", identity.privateKey, identity.certificate, "-pw",
                                               "+cf", certificates.caCertificate, "-aec", "PACS", "127.0.0.1", "\(port)"]).status) == 0
        }
        return p
    }

    @Test func aStudySentOverTLSIsAnalysedAndItsResultsGoOutOverTLS() throws {
        let node = try NodeHarness()
        defer { node.remove() }
        let certificates = try TestCertificates.make(in: node.root + "/pki")
        let tlsPort = try FreePort.next()
        let pacsPort = try FreePort.next()
        let pacsDir = node.root + "/pacs"
        let pacs = try Self.tlsStorescp(pacsDir, port: pacsPort, certificates: certificates)
        defer { pacs.stop() }
        node.extraConfig = """
            [tls]
            port = \(tlsPort)
            certificate = "\(certificates.server.certificate)"
            private_key = "\(certificates.server.privateKey)"
            ca_certificates = ["\(certificates.caCertificate)"]

            [[destination]]
            name = "pacs"
            ae_title = "PACS"
            host = "127.0.0.1"
            port = \(pacsPort)
            tls = true
            """
        try node.start()
        try node.wait("the TLS listener", seconds: 10) { node.log.contains("port=\(tlsPort)") && node.log.contains("tls=true") }

        // The plain listener still answers, and plain DICOM on the TLS port is refused.
        let echo = try ExternalTool.run("echoscu", ["-aec", node.aeTitle, "127.0.0.1", "\(node.port)"])
        #expect(echo.status == 0, "\(echo.combined)")
        let plainOnTLS = try ExternalTool.run("echoscu", ["-aec", node.aeTitle, "127.0.0.1", "\(tlsPort)"])
        #expect(plainOnTLS.status != 0, "plain echoscu to the TLS port succeeded: \(plainOnTLS.combined)")

        let (files, report) = try Studies.write(into: node.root + "/src")
        let client = certificates.client
        let sent = try ExternalTool.run("storescu", ["+tls", client.privateKey, client.certificate, "-pw", "+cf", certificates.caCertificate,
                                                     "-aet", "SCANNER", "-aec", node.aeTitle, "127.0.0.1", "\(tlsPort)"] + files)
        #expect(sent.status == 0, "\(sent.combined.suffix(1500))")

        try node.wait("the results in the TLS PACS", seconds: 120) { !Outbox(layout: node.layout).all(.sent).isEmpty }
        #expect(node.jobs(.failed).isEmpty, "\(node.jobs(.failed).map { $0.error ?? "" })")
        let job = try #require(node.jobs(.done).first)
        #expect(job.studyInstanceUID == report.studyInstanceUID)
        #expect(job.inputs.count == files.count)
        let entry = try #require(Outbox(layout: node.layout).all(.sent).first)
        #expect(entry.destinations.map(\.tls) == [true])
        let arrived = DicomChecks.files(pacsDir)
        #expect(arrived.count == entry.files.count, "\(arrived)")
        for f in arrived {
            #expect(try DicomChecks.value(f, "0020,000d") == report.studyInstanceUID, "\(f) is not in the source study")
        }
        #expect(node.stop() == 0)
    }

    @Test func checkConfigNamesAMissingKeyFile() throws {
        let node = try NodeHarness()
        defer { node.remove() }
        let certificates = try TestCertificates.make(in: node.root + "/pki")
        node.extraConfig = """
            [tls]
            port = \(try FreePort.next())
            certificate = "\(certificates.server.certificate)"
            private_key = "\(node.root)/missing.key"
            """
        try node.writeConfig()
        let out = try ExternalTool.run(Built.ctperfd, ["--check-config", "--config", node.configPath])
        #expect(out.status != 0)
        #expect(out.combined.contains("\(node.configPath):"), "\(out.combined)")
        #expect(out.combined.contains("cannot read \"\(node.root)/missing.key\" in [tls]: No such file or directory"), "\(out.combined)")
    }
}
