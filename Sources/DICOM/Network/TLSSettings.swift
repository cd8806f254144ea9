import CDCMTK
import Foundation

/// DICOM over TLS (PS3.15 Annex B.1) for a listener or a destination: our identity and whom we
/// trust.
///
/// Uses DCMTK's BCP 195 non-downgrading profile (TLS 1.2 or newer; RSA certificates for TLS 1.2
/// peers). With trusted CA certificates the peer must present a certificate signed by one of them
/// (for a listener: mutual TLS, a client without one is refused); with none, peers are not
/// verified — the connection is encrypted but anyone may connect, and a sender accepts any
/// server. Host names are not checked against the peer's certificate.
public struct TLSSettings: Sendable, Equatable {
    /// PEM certificate (optionally followed by intermediate CAs) presented to peers.
    public var certificatePath: String
    /// PEM private key of `certificatePath`, unencrypted (readable by the daemon's user only).
    public var privateKeyPath: String
    /// PEM CA certificates a peer's certificate must be signed by; empty = do not verify peers.
    public var trustedCAPaths: [String]

    public init(certificatePath: String, privateKeyPath: String, trustedCAPaths: [String] = []) {
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
        self.trustedCAPaths = trustedCAPaths
    }

    /// Call `body` with the shim's view of these settings (valid during the call only).
    func withCSettings<R>(_ body: (UnsafePointer<cdcm_tls_settings>) -> R) -> R {
        let copies = trustedCAPaths.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer<CChar>($0) }
        return certificatePath.withCString { certificate in
            privateKeyPath.withCString { key in
                pointers.withUnsafeBufferPointer { cas in
                    var settings = cdcm_tls_settings(certificate_file: certificate, private_key_file: key,
                                                     trusted_ca_files: cas.baseAddress, trusted_ca_count: cas.count)
                    return withUnsafePointer(to: &settings) { body($0) }
                }
            }
        }
    }
}

extension Optional where Wrapped == TLSSettings {
    /// Call `body` with the shim's view of the settings, or nil for plain TCP.
    func withCSettings<R>(_ body: (UnsafePointer<cdcm_tls_settings>?) -> R) -> R {
        switch self {
        case .some(let settings): return settings.withCSettings { body($0) }
        case .none: return body(nil)
        }
    }
}
