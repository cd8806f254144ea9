import Foundation
import Testing
import TestSupport
@testable import Node

/// The [tls] table and destinations' tls key: mapping, and the errors a sysadmin can make.
@Suite struct ConfigTLSTests {
    static let path = "/etc/ctperf/ctperfd.toml"

    /// A directory with a readable certificate and key (contents do not matter to the loader).
    final class Files {
        let directory = TemporaryDirectory.make("ctperf-config-tls")
        var certificate: String { directory + "/node.pem" }
        var key: String { directory + "/node.key" }
        var ca: String { directory + "/ca.pem" }

        init() throws {
            for file in [certificate, key, ca] { try "PEM\n".write(toFile: file, atomically: true, encoding: .utf8) }
        }

        deinit { try? FileManager.default.removeItem(atPath: directory) }
    }

    private func failure(_ text: String) -> ConfigError? {
        do {
            _ = try ConfigLoader.parse(text: text, path: Self.path)
            return nil
        } catch {
            return error
        }
    }

    @Test func tlsTableAndDestinationFlagAreRead() throws {
        let f = try Files()
        let c = try ConfigLoader.parse(text: """
            [tls]
            port = 2762
            certificate = "\(f.certificate)"
            private_key = "\(f.key)"
            ca_certificates = ["\(f.ca)"]

            [[destination]]
            name = "pacs"
            ae_title = "PACS"
            host = "10.0.0.20"
            port = 2762
            tls = true

            [[destination]]
            name = "plain"
            ae_title = "PLAIN"
            host = "10.0.0.21"
            port = 104
            """, path: Self.path)
        #expect(c.tls.port == 2762 && c.tls.certificate == f.certificate && c.tls.privateKey == f.key)
        #expect(c.tls.caCertificates == [f.ca])
        #expect(c.destinations.map(\.tls) == [true, false])
        #expect(c.tls.settings.trustedCAPaths == [f.ca])
        // The default: no TLS listener, nothing required.
        #expect(try ConfigLoader.parse(text: "", path: Self.path).tls == NodeConfiguration.TLS())
    }

    @Test func missingKeyFileIsAnErrorWithItsLine() throws {
        let f = try Files()
        let missing = f.directory + "/missing.key"
        let error = failure("""
            [tls]
            port = 2762
            certificate = "\(f.certificate)"
            private_key = "\(missing)"
            """)
        #expect(error == ConfigError(path: Self.path, line: 4,
                                     message: "cannot read \"\(missing)\" in [tls]: No such file or directory",
                                     hint: "check the path; the TLS section of the README shows how to make certificates with openssl"))
    }

    @Test func tlsPortEqualToNodePortIsAnError() throws {
        let f = try Files()
        let error = failure("""
            [node]
            port = 11112

            [tls]
            certificate = "\(f.certificate)"
            private_key = "\(f.key)"
            port = 11112
            """)
        #expect(error == ConfigError(path: Self.path, line: 7,
                                     message: "port in [tls] (11112) is the port of the plain listener (node.port)",
                                     hint: "give the TLS listener a port of its own, e.g. 2762 (DICOM over TLS), or 0 for none"))
    }

    @Test func listenerOrTLSDestinationRequiresCertificateAndKey() throws {
        let f = try Files()
        let noKey = failure("""
            [tls]
            port = 2762
            certificate = "\(f.certificate)"
            """)
        #expect(noKey?.line == 2)
        #expect(noKey?.message == "private_key in [tls] is required by the TLS listener (port = 2762)")
        let destination = failure("""
            [[destination]]
            name = "pacs"
            ae_title = "PACS"
            host = "10.0.0.20"
            port = 2762
            tls = true
            """)
        #expect(destination?.message == "certificate in [tls] is required by destination 'pacs' (tls = true)")
        let relative = failure("""
            [tls]
            ca_certificates = ["ca.pem"]
            """)
        #expect(relative?.line == 2)
        #expect(relative?.message == "files in [tls] must be given as absolute paths, not \"ca.pem\"")
    }

    @Test func tlsKeysNeedARestart() throws {
        var old = NodeConfiguration()
        var new = old
        new.tls.port = 2762
        #expect(ConfigLoader.restartRequired(old: old, new: new) == ["tls.port"])
        old.tls.port = 2762
        new.tls.certificate = "/etc/ctperf/tls/new.pem"
        #expect(ConfigLoader.restartRequired(old: old, new: new) == ["tls.certificate"])
        // Without a TLS listener, changed files only concern sends, which read them each time.
        old.tls.port = 0
        new.tls.port = 0
        #expect(ConfigLoader.restartRequired(old: old, new: new) == [])
    }
}
