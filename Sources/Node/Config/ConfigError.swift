/// A problem with ctperfd's configuration file: where it is, what is wrong and what to do.
///
/// Printed as `<path>:<line>: <message>` (or `<path>: <message>` when no single line is to
/// blame), followed by ` — <hint>` when there is a hint, e.g.
/// `/etc/ctperf/ctperfd.toml:12: unknown key 'aetitle' in [node] — did you mean 'ae_title'?`.
public struct ConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The configuration file, as given to the loader ("" when not tied to a file).
    public var path: String
    /// 1-based line in the file; nil when the error is not about one line (file missing, ...).
    public var line: Int?
    /// What is wrong, naming the key or table.
    public var message: String
    /// What to do about it, or a likely intended spelling; nil when the message says it all.
    public var hint: String?

    public init(path: String, line: Int?, message: String, hint: String? = nil) {
        self.path = path
        self.line = line
        self.message = message
        self.hint = hint
    }

    public var description: String {
        var location = path
        if let line { location += location.isEmpty ? "line \(line)" : ":\(line)" }
        var text = location.isEmpty ? message : "\(location): \(message)"
        if let hint { text += " — \(hint)" }
        return text
    }
}
