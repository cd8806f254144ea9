/// The tables and keys ctperfd's configuration file may contain; rejects any other name with a
/// did-you-mean hint before values are read.
enum ConfigSchema {
    /// `[name]` tables and their keys, in the order config/ctperfd.toml documents them.
    static let tables: [(name: String, keys: [String])] = [
        ("node", ["ae_title", "port", "state_dir", "results_dir", "max_associations", "allowed_calling_ae_titles",
                  "allowed_hosts", "min_free_disk_mb", "max_image_pixels", "network_timeout_seconds"]),
        ("detection", ["quiet_seconds", "max_wait_seconds", "min_time_points", "min_duration_seconds"]),
        ("analysis", ["tmax_threshold_s", "rcbf_threshold", "timeout_seconds", "max_attempts", "ctperf_path",
                      "workers"]),
        ("sending", ["calling_ae_title", "retry_initial_seconds", "retry_max_seconds", "give_up_after_hours",
                     "timeout_seconds"]),
        ("tls", ["port", "certificate", "private_key", "ca_certificates"]),
        ("retention", ["keep_days", "keep_results", "interval_minutes"]),
        ("logging", ["level"]),
    ]

    /// `[[name]]` arrays of tables and their keys.
    static let arraysOfTables: [(name: String, keys: [String])] = [
        ("destination", ["name", "ae_title", "host", "port", "tls"]),
    ]

    /// Every table as it is written in the file, for hints: `[node]`, ..., `[[destination]]`.
    static var writtenTableNames: [String] {
        tables.map { "[\($0.name)]" } + arraysOfTables.map { "[[\($0.name)]]" }
    }

    /// Throws for the first key outside a table, unknown table, table written with the wrong
    /// brackets, or unknown key, in file order.
    static func checkNames(_ document: TOMLDocument, path: String) throws(ConfigError) {
        if let entry = document.root.entries.first {
            let owners = tables.filter { $0.keys.contains(entry.key) }.map { "[\($0.name)]" }
                + arraysOfTables.filter { $0.keys.contains(entry.key) }.map { "[[\($0.name)]]" }
            throw ConfigError(path: path, line: entry.line, message: "key '\(entry.key)' is outside any table",
                              hint: owners.isEmpty
                                  ? "put each key under its table header, e.g. [node]"
                                  : "put it under \(owners.joined(separator: " or "))")
        }
        for table in document.tables {
            let keys = try knownKeys(of: table, path: path)
            for entry in table.entries where !keys.contains(entry.key) {
                let hint = NameSuggestion.closest(to: entry.key, in: keys).map { "did you mean '\($0)'?" }
                    ?? "the keys of \(table.displayName) are \(keys.joined(separator: ", "))"
                throw ConfigError(path: path, line: entry.line,
                                  message: "unknown key '\(entry.key)' in \(table.displayName)", hint: hint)
            }
        }
    }

    /// The keys allowed in `table`; throws when the table itself is unknown or mis-bracketed.
    private static func knownKeys(of table: TOMLTable, path: String) throws(ConfigError) -> [String] {
        let single = tables.first { $0.name == table.name }
        let array = arraysOfTables.first { $0.name == table.name }
        switch (single, array, table.isArrayElement) {
        case (let single?, _, false):
            return single.keys
        case (_, let array?, true):
            return array.keys
        case (_?, _, true):
            throw ConfigError(path: path, line: table.line, message: "[\(table.name)] is a single table, not an array of tables",
                              hint: "write [\(table.name)]")
        case (_, _?, false):
            throw ConfigError(path: path, line: table.line,
                              message: "\(table.name) blocks are an array of tables",
                              hint: "write [[\(table.name)]], one block per \(table.name)")
        default:
            let known = tables.map(\.name) + arraysOfTables.map(\.name)
            let hint = NameSuggestion.closest(to: table.name, in: known).map { name in
                "did you mean '\(arraysOfTables.contains { $0.name == name } ? "[[\(name)]]" : "[\(name)]")'?"
            } ?? "the tables are \(writtenTableNames.joined(separator: ", "))"
            throw ConfigError(path: path, line: table.line, message: "unknown table \(table.displayName)", hint: hint)
        }
    }
}
