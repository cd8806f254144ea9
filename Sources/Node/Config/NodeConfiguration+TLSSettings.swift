import DICOM

extension NodeConfiguration.TLS {
    /// The network layer's view of [tls]: our certificate and key, and the CAs peers must be
    /// signed by. Used for the TLS listener and, as client identity, for destinations with tls = true.
    public var settings: TLSSettings {
        TLSSettings(certificatePath: certificate, privateKeyPath: privateKey, trustedCAPaths: caCertificates)
    }
}
