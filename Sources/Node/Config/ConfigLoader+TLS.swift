#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FileSystem

/// The [tls] table: the TLS listener's port and the certificate, key and CA files it and the
/// TLS destinations use. The files are opened here, so `ctperfd --check-config` reports a
/// missing or unreadable one with its line instead of the daemon failing at start.
extension ConfigLoader {
    static func readTLS(_ document: TOMLDocument, path: String, nodePort: Int,
                        destinations: [NodeConfiguration.Destination]) throws(ConfigError) -> NodeConfiguration.TLS {
        let table = document.table("tls")
        let r = ConfigTableReader(table, displayName: "[tls]", path: path)
        var tls = NodeConfiguration.TLS()
        let port = try r.integer("port", default: tls.port, allowed: .from(0, to: 65535))
        if let port {
            if port.value != 0 && port.value == nodePort {
                throw r.error(port.line, "port in [tls] (\(port.value)) is the port of the plain listener (node.port)",
                              hint: "give the TLS listener a port of its own, e.g. 2762 (DICOM over TLS), or 0 for none")
            }
            tls.port = port.value
        }
        let certificate = try r.string("certificate")
        let privateKey = try r.string("private_key")
        let caCertificates = try r.stringArray("ca_certificates")
        for file in [certificate, privateKey].compactMap({ $0 }) + (caCertificates?.value ?? []) where !file.value.isEmpty {
            try checkReadableFile(file, r)
        }
        tls.certificate = certificate?.value ?? ""
        tls.privateKey = privateKey?.value ?? ""
        tls.caCertificates = (caCertificates?.value ?? []).map(\.value)

        // Who needs an identity: the listener, and every destination sent to over TLS.
        let user: String? = tls.port != 0 ? "the TLS listener (port = \(tls.port))"
            : destinations.first(where: \.tls).map { "destination '\($0.name)' (tls = true)" }
        if let user {
            for (key, value) in [("certificate", certificate), ("private_key", privateKey)] where (value?.value ?? "").isEmpty {
                throw r.error(value?.line ?? port?.line ?? table?.line,
                              "\(key) in [tls] is required by \(user)",
                              hint: "add \(key) = \"/etc/ctperf/tls/ctperfd.\(key == "certificate" ? "pem" : "key")\" (PEM) to [tls]")
            }
        }
        return tls
    }

    /// An absolute path of a file the daemon can open for reading.
    private static func checkReadableFile(_ file: Located<String>, _ r: ConfigTableReader) throws(ConfigError) {
        guard ConfigValidation.isAbsolutePath(file.value) else {
            throw r.error(file.line, "files in [tls] must be given as absolute paths, not \(ConfigValidation.quoted(file.value))",
                          hint: "start it with '/', e.g. /etc/ctperf/tls/ctperfd.pem")
        }
        do {
            let fd = try PosixFile.openFile(file.value, flags: O_RDONLY | O_CLOEXEC)
            PosixFile.closeIgnoringErrors(fd)
        } catch let error as FileSystemError {
            let reason = String(cString: strerror(error.errorNumber))
            let hint = error.errorNumber == EACCES || error.errorNumber == EPERM
                ? "make it readable by the user ctperfd runs as (keep private keys readable by that user only)"
                : "check the path; the TLS section of the README shows how to make certificates with openssl"
            throw r.error(file.line, "cannot read \(ConfigValidation.quoted(file.value)) in [tls]: \(reason)", hint: hint)
        } catch {
            throw r.error(file.line, "cannot read \(ConfigValidation.quoted(file.value)) in [tls]: \(error)")
        }
    }
}
