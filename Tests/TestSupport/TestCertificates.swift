import Foundation

/// A small PKI for DICOM-over-TLS tests, made with the `openssl` CLI in a directory: a CA, a
/// server and a client certificate signed by it, and a "rogue" CA with a server certificate of
/// its own (a peer we must not trust). RSA 2048 (DCMTK's BCP 195 profiles negotiate
/// ECDHE-RSA suites under TLS 1.2), valid for two days; keys unencrypted PEM.
public struct TestCertificates: Sendable {
    public struct Identity: Sendable {
        public var certificate: String   // PEM certificate path
        public var privateKey: String    // PEM private key path
    }

    /// The trusted CA's certificate.
    public var caCertificate: String
    public var server: Identity
    public var client: Identity
    /// A server certificate signed by a CA nobody trusts.
    public var rogueServer: Identity

    /// Make the CAs, keys and certificates under `directory` (a few seconds at most).
    public static func make(in directory: String) throws -> TestCertificates {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        func path(_ name: String) -> String { directory + "/" + name }
        try makeCA(name: "ca", in: directory)
        try makeCA(name: "rogue-ca", in: directory)
        let server = try makeLeaf(name: "server", commonName: "localhost", ca: "ca", in: directory)
        let client = try makeLeaf(name: "client", commonName: "ctperf-test-client", ca: "ca", in: directory)
        let rogue = try makeLeaf(name: "rogue-server", commonName: "localhost", ca: "rogue-ca", in: directory)
        return TestCertificates(caCertificate: path("ca.pem"), server: server, client: client, rogueServer: rogue)
    }

    private static func makeCA(name: String, in directory: String) throws {
        try ExternalTool.runChecked("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2",
                                                "-subj", "/CN=ctperf test \(name)",
                                                "-keyout", "\(directory)/\(name).key", "-out", "\(directory)/\(name).pem"])
    }

    private static func makeLeaf(name: String, commonName: String, ca: String, in directory: String) throws -> Identity {
        let key = "\(directory)/\(name).key", csr = "\(directory)/\(name).csr", certificate = "\(directory)/\(name).pem"
        let extensions = "\(directory)/\(name).ext"
        try "basicConstraints=CA:FALSE\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n"
            .write(toFile: extensions, atomically: true, encoding: .utf8)
        try ExternalTool.runChecked("openssl", ["req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=\(commonName)",
                                                "-keyout", key, "-out", csr])
        try ExternalTool.runChecked("openssl", ["x509", "-req", "-sha256", "-days", "2", "-in", csr,
                                                "-CA", "\(directory)/\(ca).pem", "-CAkey", "\(directory)/\(ca).key",
                                                "-set_serial", String(UInt32.random(in: 1...UInt32.max)),
                                                "-extfile", extensions, "-out", certificate])
        return Identity(certificate: certificate, privateKey: key)
    }
}
