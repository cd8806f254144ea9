/// A value from the configuration file with the line it was written on.
struct Located<Value> {
    var value: Value
    /// 1-based line in the file.
    var line: Int
}

extension Located: Equatable where Value: Equatable {}
extension Located: Sendable where Value: Sendable {}

/// Typed and range-checked reads of one table's keys; a key that is absent yields nil (or the
/// given default). Names were already checked by `ConfigSchema`.
struct ConfigTableReader {
    /// The table, or nil when the file does not have it (every key then takes its default).
    let table: TOMLTable?
    /// How the table is written in messages: `[node]`, `[[destination]]`.
    let displayName: String
    let path: String

    init(_ table: TOMLTable?, displayName: String, path: String) {
        self.table = table
        self.displayName = displayName
        self.path = path
    }

    func error(_ line: Int?, _ message: String, hint: String? = nil) -> ConfigError {
        ConfigError(path: path, line: line, message: message, hint: hint)
    }

    private func typeError(_ key: String, _ value: TOMLValue, expected: String, hint: String) -> ConfigError {
        error(value.line, "\(key) in \(displayName) must be \(expected), not \(value.typeDescription) (\(value.literal))",
              hint: hint)
    }

    // MARK: Typed reads

    func string(_ key: String) throws(ConfigError) -> Located<String>? {
        guard let entry = table?[key] else { return nil }
        guard case .string(let s) = entry.value.kind else {
            throw typeError(key, entry.value, expected: "a string",
                            hint: "put the text in double quotes: \(key) = \"...\"")
        }
        return Located(value: s, line: entry.value.line)
    }

    func integer(_ key: String) throws(ConfigError) -> Located<Int>? {
        guard let entry = table?[key] else { return nil }
        guard case .integer(let i) = entry.value.kind else {
            throw typeError(key, entry.value, expected: "an integer",
                            hint: "write a whole number without quotes or decimal point")
        }
        return Located(value: i, line: entry.value.line)
    }

    /// A float; an integer is accepted too (`quiet_seconds = 20` means 20.0).
    func number(_ key: String) throws(ConfigError) -> Located<Double>? {
        guard let entry = table?[key] else { return nil }
        switch entry.value.kind {
        case .float(let d): return Located(value: d, line: entry.value.line)
        case .integer(let i): return Located(value: Double(i), line: entry.value.line)
        default:
            throw typeError(key, entry.value, expected: "a number", hint: "write a number without quotes, e.g. 1.5 or 20")
        }
    }

    func boolean(_ key: String) throws(ConfigError) -> Located<Bool>? {
        guard let entry = table?[key] else { return nil }
        guard case .boolean(let b) = entry.value.kind else {
            throw typeError(key, entry.value, expected: "a boolean", hint: "write \(key) = true or \(key) = false")
        }
        return Located(value: b, line: entry.value.line)
    }

    /// An array whose elements are all strings, each with its own line.
    func stringArray(_ key: String) throws(ConfigError) -> Located<[Located<String>]>? {
        guard let entry = table?[key] else { return nil }
        let hint = "write \(key) = [\"first\", \"second\"]"
        guard case .array(let items) = entry.value.kind else {
            throw typeError(key, entry.value, expected: "an array of strings", hint: hint)
        }
        var strings: [Located<String>] = []
        for (position, item) in items.enumerated() {
            guard case .string(let s) = item.kind else {
                throw error(item.line, "\(key) in \(displayName) must be an array of strings, but element "
                            + "\(position + 1) is \(item.typeDescription) (\(item.literal))", hint: hint)
            }
            strings.append(Located(value: s, line: item.line))
        }
        return Located(value: strings, line: entry.value.line)
    }

    // MARK: Reads with a default and a range

    /// The integer at `key`, or nil when absent; throws when outside `allowed` (the hint
    /// names `defaultValue` when there is one).
    func integer(_ key: String, default defaultValue: Int?, allowed: AllowedRange) throws(ConfigError) -> Located<Int>? {
        guard let found = try integer(key) else { return nil }
        try check(key, Double(found.value), written: String(found.value), found.line, allowed,
                  defaultValue: defaultValue.map(String.init))
        return found
    }

    /// The number at `key` (an integer is accepted), or nil when absent; throws when outside
    /// `allowed` (the hint names `defaultValue`).
    func number(_ key: String, default defaultValue: Double, allowed: AllowedRange) throws(ConfigError) -> Located<Double>? {
        guard let found = try number(key) else { return nil }
        try check(key, found.value, written: AllowedRange.format(found.value), found.line, allowed,
                  defaultValue: AllowedRange.format(defaultValue))
        return found
    }

    /// Throws unless `allowed` contains `value`; `written` is the value as the message shows it.
    private func check(_ key: String, _ value: Double, written: String, _ line: Int, _ allowed: AllowedRange,
                       defaultValue: String?) throws(ConfigError) {
        guard allowed.contains(value) else {
            throw error(line, "\(key) in \(displayName) must be \(allowed.description), not \(written)",
                        hint: defaultValue.map { "the default is \($0)" })
        }
    }
}
