/// A value read from ctperfd's TOML subset, with the place it was written.
struct TOMLValue: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case string(String)
        case integer(Int)
        case float(Double)
        case boolean(Bool)
        /// Scalars only (arrays inside arrays are outside the subset).
        case array([TOMLValue])
    }

    var kind: Kind
    /// 1-based line of the value's first character.
    var line: Int
    /// 1-based column (in Unicode scalars) of the value's first character.
    var column: Int

    /// The type as a sysadmin reads it in a message: "a string", "an integer", ...
    var typeDescription: String {
        switch kind {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a float"
        case .boolean: "a boolean"
        case .array: "an array"
        }
    }

    /// The value as it would be written back in the file (for messages).
    var literal: String {
        switch kind {
        case .string(let s): ConfigValidation.quoted(s)
        case .integer(let i): String(i)
        case .float(let d): String(d)
        case .boolean(let b): b ? "true" : "false"
        case .array(let a): "[" + a.map(\.literal).joined(separator: ", ") + "]"
        }
    }
}

/// One `key = value` line.
struct TOMLEntry: Sendable, Equatable {
    var key: String
    var value: TOMLValue
    /// 1-based line of the key.
    var line: Int
    /// 1-based column of the key.
    var column: Int
}

/// The keys of one `[table]`, one `[[array]]` element, or of the top of the file (before any
/// header), in file order.
struct TOMLTable: Sendable, Equatable {
    /// Table name; "" for the top of the file.
    var name: String
    /// True for a `[[name]]` element.
    var isArrayElement: Bool
    /// 1-based line of the header; 0 for the top of the file.
    var line: Int
    var entries: [TOMLEntry] = []

    subscript(key: String) -> TOMLEntry? { entries.first { $0.key == key } }

    /// How the table is named in messages: `[node]`, `[[destination]]`, or "the top of the file".
    var displayName: String {
        if name.isEmpty { return "the top of the file" }
        return isArrayElement ? "[[\(name)]]" : "[\(name)]"
    }
}

/// A parsed file: the top-level keys and every table in file order.
struct TOMLDocument: Sendable, Equatable {
    var root = TOMLTable(name: "", isArrayElement: false, line: 0)
    /// `[table]`s and `[[array]]` elements in the order they appear.
    var tables: [TOMLTable] = []

    /// The `[name]` table, if the file has one.
    func table(_ name: String) -> TOMLTable? {
        tables.first { $0.name == name && !$0.isArrayElement }
    }

    /// The `[[name]]` elements in file order.
    func arrayOfTables(_ name: String) -> [TOMLTable] {
        tables.filter { $0.name == name && $0.isArrayElement }
    }
}
