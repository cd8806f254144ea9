/// Checks of string values in the configuration: AE titles, paths, host names, destination
/// names. Each returns nil when the value is fine, or what is wrong with it, for a message.
enum ConfigValidation {
    /// The rule for AE titles, as the hint states it (DICOM PS3.5 section 6.2, AE value representation).
    static let aeTitleRule = "AE titles are 1 to 16 ASCII characters, without backslash or control characters, and not only spaces"

    /// What is wrong with an AE title, or nil.
    static func aeTitleProblem(_ title: String) -> String? {
        let scalars = title.unicodeScalars
        if scalars.isEmpty { return "it is empty" }
        if !scalars.allSatisfy(\.isASCII) { return "it contains non-ASCII characters" }
        if scalars.count > 16 { return "it is \(scalars.count) characters long" }
        if scalars.contains("\\") { return "it contains a backslash" }
        if scalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return "it contains a control character" }
        if scalars.allSatisfy({ $0 == " " }) { return "it is only spaces" }
        return nil
    }

    /// `text` as a TOML basic string, for messages: quotes, backslashes and control characters escaped.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for c in text.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case _ where c.value < 0x20 || c.value == 0x7F:
                let hex = String(c.value, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }

    /// Whether `path` is absolute (starts with `/`).
    static func isAbsolutePath(_ path: String) -> Bool {
        path.hasPrefix("/")
    }

    /// `directory/name` without doubling a trailing slash (`/var/lib/ctperf/` + `results`).
    static func join(_ directory: String, _ name: String) -> String {
        var base = Substring(directory)
        while base.count > 1 && base.hasSuffix("/") { base = base.dropLast() }
        return base == "/" ? "/\(name)" : "\(base)/\(name)"
    }

    /// What is wrong with a destination host (a host name, RFC 1123, or a dotted IPv4 address), or nil.
    static func hostProblem(_ host: String) -> String? {
        if host.isEmpty { return "it is empty" }
        if host.contains(":") { return "IPv6 addresses are not supported" }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        if labels.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) {
            return HostAllowList.parseIPv4(Substring(host)) == nil ? "it is not a valid IPv4 address" : nil
        }
        if host.utf8.count > 253 { return "it is longer than 253 characters" }
        for label in labels {
            if label.isEmpty { return "it has an empty part between dots" }
            if label.utf8.count > 63 { return "the part '\(label)' is longer than 63 characters" }
            if !label.allSatisfy({ $0.isASCIIDigit || $0.isASCIILetter || $0 == "-" }) {
                return "the part '\(label)' has characters other than letters, digits and '-'"
            }
            if label.hasPrefix("-") || label.hasSuffix("-") { return "the part '\(label)' starts or ends with '-'" }
        }
        return nil
    }

    /// Whether `name` is a valid destination name: 1–64 of A-Z a-z 0-9 _ . -
    static func isDestinationName(_ name: String) -> Bool {
        (1...64).contains(name.count)
            && name.allSatisfy { $0.isASCIIDigit || $0.isASCIILetter || $0 == "_" || $0 == "." || $0 == "-" }
    }
}

private extension Character {
    var isASCIIDigit: Bool { asciiValue.map { (48...57).contains($0) } ?? false }
    var isASCIILetter: Bool { asciiValue.map { (65...90).contains($0) || (97...122).contains($0) } ?? false }
}
