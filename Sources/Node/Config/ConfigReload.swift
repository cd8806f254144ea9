/// What a SIGHUP reload can apply to the running daemon.
extension ConfigLoader {
    /// File keys (`table.key`) that take effect only after a restart: the listeners' ports, the
    /// state directory (spool, jobs, outbox) and the files the running TLS listener has loaded
    /// (sends use changed TLS files at once). Everything else applies live on SIGHUP.
    public static let restartOnlyKeys = ["node.port", "node.state_dir", "tls.port", "tls.certificate", "tls.private_key",
                                         "tls.ca_certificates"]

    /// The keys of `restartOnlyKeys` whose values differ between `old` and `new`, in that order.
    /// The TLS files count only while a TLS listener runs (old tls.port != 0). Empty when the
    /// new configuration can be applied entirely by a reload.
    public static func restartRequired(old: NodeConfiguration, new: NodeConfiguration) -> [String] {
        var changed: [String] = []
        if old.node.port != new.node.port { changed.append("node.port") }
        if old.node.stateDir != new.node.stateDir { changed.append("node.state_dir") }
        if old.tls.port != new.tls.port { changed.append("tls.port") }
        if old.tls.port != 0 {
            if old.tls.certificate != new.tls.certificate { changed.append("tls.certificate") }
            if old.tls.privateKey != new.tls.privateKey { changed.append("tls.private_key") }
            if old.tls.caCertificates != new.tls.caCertificates { changed.append("tls.ca_certificates") }
        }
        return changed
    }
}
