import DICOM
import Foundation
import TestSupport
import Testing

extension NetworkTests {
    /// DICOM over TLS: DCMTK's storescu/storescp in TLS mode against our StoreSCP and StoreSCU,
    /// with certificates made by the openssl CLI for each test.
    @Suite struct TLSTests {
        /// A temporary directory with a fresh test PKI; removed on deinit.
        final class PKI {
            let directory = TemporaryDirectory.make("ctperf-tls")
            let certificates: TestCertificates

            init() throws { certificates = try TestCertificates.make(in: directory + "/pki") }

            deinit { try? FileManager.default.removeItem(atPath: directory) }

            /// Our identity as a listener (server certificate) or as a sender (client certificate),
            /// trusting the test CA.
            var serverSettings: TLSSettings {
                TLSSettings(certificatePath: certificates.server.certificate, privateKeyPath: certificates.server.privateKey,
                            trustedCAPaths: [certificates.caCertificate])
            }
            var clientSettings: TLSSettings {
                TLSSettings(certificatePath: certificates.client.certificate, privateKeyPath: certificates.client.privateKey,
                            trustedCAPaths: [certificates.caCertificate])
            }

            /// storescu options for TLS with `identity`, verifying the server against the test CA.
            func storescuTLS(_ identity: TestCertificates.Identity) -> [String] {
                ["+tls", identity.privateKey, identity.certificate, "-pw", "+cf", certificates.caCertificate]
            }
        }

        @Test func storescuOverTLSArrivesAndPlainTCPIsRefused() throws {
            let pki = try PKI()
            let server = try RunningSCP(tls: pki.serverSettings)
            let study = try TestStudy.make(in: pki.directory)

            let plain = try server.storescu(study.explicitFiles)
            #expect(plain.status != 0, "plain storescu to the TLS port succeeded: \(plain.combined)")
            try server.waitForEvent("the failed TLS handshake to be reported") {
                if case .failure(let text) = $0 { return text.contains("TLS handshake") }
                return false
            }

            let out = try server.storescu(study.explicitFiles, options: pki.storescuTLS(pki.certificates.client))
            #expect(out.status == 0, "storescu +tls: \(out.combined)")
            try server.waitForEvent("the TLS association to be released") { $0 == .released }
            let stored = Set(server.delegate.stored.map(\.sopInstanceUID))
            #expect(stored == Set(study.explicitFiles.compactMap { sopInstanceUID(of: $0) }))
            for record in server.delegate.stored {
                #expect(try DicomFile(path: record.path).pixelBytes() == DicomFile(path: study.explicitFiles.first {
                    sopInstanceUID(of: $0) == record.sopInstanceUID
                }!).pixelBytes())
            }
        }

        /// Trusted CAs configured = mutual TLS: a client certificate from another CA is refused.
        @Test func clientCertificateFromAnUntrustedCAIsRefused() throws {
            let pki = try PKI()
            let server = try RunningSCP(tls: pki.serverSettings)
            let study = try TestStudy.make(in: pki.directory)
            let out = try server.storescu(study.explicitFiles, options: pki.storescuTLS(pki.certificates.rogueServer))
            #expect(out.status != 0, "storescu with an untrusted client certificate succeeded: \(out.combined)")
            try server.waitForEvent("the failed TLS handshake to be reported") {
                if case .failure(let text) = $0 { return text.contains("TLS handshake") }
                return false
            }
            #expect(server.delegate.stored.isEmpty)
        }

        /// A plain and a TLS listener in one process, with one delegate each, on two ports.
        @Test func plainAndTLSListenersRunSideBySide() throws {
            let pki = try PKI()
            let plainServer = try RunningSCP()
            let tlsServer = try RunningSCP(tls: pki.serverSettings)
            let study = try TestStudy.make(in: pki.directory)
            let plain = try plainServer.storescu([study.explicitFiles[0]])
            let secure = try tlsServer.storescu([study.explicitFiles[1]], options: pki.storescuTLS(pki.certificates.client))
            #expect(plain.status == 0, "plain storescu: \(plain.combined)")
            #expect(secure.status == 0, "storescu +tls: \(secure.combined)")
            #expect(plainServer.delegate.stored.map(\.sopInstanceUID) == [sopInstanceUID(of: study.explicitFiles[0])])
            #expect(tlsServer.delegate.stored.map(\.sopInstanceUID) == [sopInstanceUID(of: study.explicitFiles[1])])
        }

        @Test func storeSCUOverTLSReachesStorescp() throws {
            let pki = try PKI()
            let peer = try StorescpPeer(acceptAll: true, tls: (pki.certificates, pki.certificates.server))
            let study = try TestStudy.make(in: pki.directory)
            var target = peer.target()
            target.tls = pki.clientSettings
            let outcomes = try StoreSCU.send(files: study.allFiles, to: target)
            #expect(outcomes.count == study.allFiles.count && outcomes.allSatisfy(\.stored), "\(outcomes)")
            let received = try peer.received()
            #expect(Set(received.keys) == Set(study.allFiles.compactMap { sopInstanceUID(of: $0) }))
            try StoreSCU.echo(target)
        }

        @Test func serverCertificateFromAnUntrustedCAIsAPermanentError() throws {
            let pki = try PKI()
            let peer = try StorescpPeer(acceptAll: true, tls: (pki.certificates, pki.certificates.rogueServer))
            let study = try TestStudy.make(in: pki.directory)
            var target = peer.target()
            target.tls = pki.clientSettings
            let error = try #require(throws: StoreSCUError.self) {
                try StoreSCU.send(files: study.explicitFiles, to: target)
            }
            #expect(error.kind == .permanent)
            #expect(error.message.contains("TLS handshake with STORESCP at 127.0.0.1:\(peer.port) failed"), "\(error.message)")
            #expect(error.message.contains("certificate"), "\(error.message)")
            #expect(try peer.received().isEmpty)
        }

        /// Files that cannot be used stop the listener from starting (the port stays free) and
        /// the sender from sending, with a message naming the file and the problem.
        @Test func unusableTLSFilesAreClearErrors() throws {
            let pki = try PKI()
            let certificates = pki.certificates
            let notPEM = pki.directory + "/not-a-key.pem"
            try "hello\n".write(toFile: notPEM, atomically: true, encoding: .utf8)
            let cases: [(TLSSettings, String)] = [
                (TLSSettings(certificatePath: certificates.server.certificate, privateKeyPath: pki.directory + "/missing.key"),
                 "cannot read the TLS private key '\(pki.directory)/missing.key': No such file or directory"),
                (TLSSettings(certificatePath: certificates.server.certificate, privateKeyPath: notPEM),
                 "cannot load the TLS private key '\(notPEM)': not an unencrypted PEM private key"),
                (TLSSettings(certificatePath: certificates.server.certificate, privateKeyPath: certificates.client.privateKey),
                 "the TLS private key '\(certificates.client.privateKey)' does not belong to the certificate '\(certificates.server.certificate)'"),
                (TLSSettings(certificatePath: certificates.server.certificate, privateKeyPath: certificates.server.privateKey,
                             trustedCAPaths: [notPEM]),
                 "cannot load the trusted CA certificate '\(notPEM)': not a PEM certificate"),
            ]
            let port = try FreePort.next()
            for (settings, expected) in cases {
                let scp = StoreSCP(settings: StoreSCPSettings(port: port, tls: settings), delegate: RecordingDelegate(directory: pki.directory))
                let error = try #require(throws: DICOMError.self) { try scp.start() }
                #expect(error.message.contains("cannot start the DICOM TLS listener on port \(port): " + expected), "\(error.message)")

                let target = StoreSCUTarget(callingAETitle: "CTPERF", calledAETitle: "ANY", host: "127.0.0.1", port: port, tls: settings)
                let sendError = try #require(throws: StoreSCUError.self) { try StoreSCU.echo(target) }
                #expect(sendError.kind == .permanent)
                #expect(sendError.message.contains(expected), "\(sendError.message)")
            }
            // The port was never bound.
            let plain = StoreSCP(settings: StoreSCPSettings(port: port), delegate: RecordingDelegate(directory: pki.directory))
            try plain.start()
            plain.stop(waitSeconds: 1)
        }
    }
}
