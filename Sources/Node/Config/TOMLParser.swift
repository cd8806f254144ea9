/// Parses ctperfd's TOML subset into a `TOMLDocument`; the file structure (lines, headers,
/// keys, arrays) is here, strings and numbers are in TOMLParser+Scalars.swift.
///
/// Supported: `#` comments (also after values), `[table]`, `[[array]]` (one name, no dots),
/// `key = value` with bare keys (A-Z a-z 0-9 _ -), basic strings "..." with escapes, literal
/// strings '...', decimal integers and floats with `_` separators, booleans, and arrays of those
/// (across lines, trailing comma, comments inside). The rest of TOML 1.0 (dotted or quoted keys,
/// inline tables, multi-line strings, dates, inf/nan, hex/octal/binary, nested arrays) is
/// reported as not supported, with its line.
struct TOMLParser {
    /// Parses `text`; errors name `path` and the line.
    static func parse(_ text: String, path: String) throws(ConfigError) -> TOMLDocument {
        var parser = TOMLParser(text: text, path: path)
        return try parser.parseDocument()
    }

    /// What a name at the top level of the file was first defined as, and where.
    private enum Definition {
        case table(line: Int)
        case arrayOfTables(line: Int)
        case key(line: Int)
    }

    let path: String
    private let chars: [Unicode.Scalar]
    private(set) var index = 0
    /// 1-based position of `chars[index]`.
    private(set) var line = 1
    private(set) var column = 1

    private var document = TOMLDocument()
    /// Index in `document.tables` of the table keys go to; nil for the top of the file.
    private var currentTable: Int?
    private var definitions: [String: Definition] = [:]

    private init(text: String, path: String) {
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        chars = scalars
        self.path = path
    }

    // MARK: Cursor

    var current: Unicode.Scalar? { index < chars.count ? chars[index] : nil }

    func peek(_ offset: Int) -> Unicode.Scalar? {
        index + offset < chars.count ? chars[index + offset] : nil
    }

    mutating func advance() {
        if chars[index] == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    mutating func skipSpaces() {
        while current == " " || current == "\t" { advance() }
    }

    /// At the end of the file or of a line (LF or CRLF).
    var atLineEnd: Bool {
        current == nil || current == "\n" || (current == "\r" && peek(1) == "\n")
    }

    mutating func consumeLineEnd() {
        if current == "\r" { advance() }
        if current == "\n" { advance() }
    }

    /// At a carriage return that does not start a CRLF line end.
    var atLoneCarriageReturn: Bool { current == "\r" && peek(1) != "\n" }

    func loneCarriageReturnError() -> ConfigError {
        error("carriage return (CR) without a line feed",
              hint: "save the file with Unix (LF) or Windows (CRLF) line endings")
    }

    /// Skips a `#` comment up to (not including) the line end.
    mutating func skipComment() {
        while !atLineEnd { advance() }
    }

    static func isBareKeyCharacter(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "A"..."Z", "a"..."z", "0"..."9", "_", "-": true
        default: false
        }
    }

    /// The rest of the current line before any comment, trimmed and shortened, for messages.
    var restOfLine: String {
        var end = index
        while end < chars.count, chars[end] != "\n", chars[end] != "\r", chars[end] != "#" { end += 1 }
        var text = String(String.UnicodeScalarView(chars[index..<end]))
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return text.count > 30 ? String(text.prefix(30)) + "…" : text
    }

    func error(_ message: String, hint: String? = nil, line: Int? = nil) -> ConfigError {
        ConfigError(path: path, line: line ?? self.line, message: message, hint: hint)
    }

    func notSupported(_ feature: String, hint: String, line: Int? = nil) -> ConfigError {
        error("\(feature) not supported by ctperfd's TOML subset", hint: hint, line: line)
    }

    // MARK: Lines

    private mutating func parseDocument() throws(ConfigError) -> TOMLDocument {
        while true {
            skipSpaces()
            guard let c = current else { break }
            if atLoneCarriageReturn { throw loneCarriageReturnError() }
            if c == "#" || atLineEnd {
                try finishLine(after: "")
            } else if c == "[" {
                let name = try parseHeader()
                try finishLine(after: " after the table header \(name)")
            } else {
                let key = try parseKeyValue()
                try finishLine(after: " after the value of '\(key)'")
            }
        }
        return document
    }

    /// Requires nothing but spaces and an optional comment up to the end of the line.
    private mutating func finishLine(after context: String) throws(ConfigError) {
        skipSpaces()
        if current == "#" { skipComment() }
        if atLoneCarriageReturn { throw loneCarriageReturnError() }
        guard atLineEnd else {
            throw error("unexpected '\(restOfLine)'\(context)",
                        hint: "put one 'key = value' or '[table]' per line; start comments with '#'")
        }
        consumeLineEnd()
    }

    /// Reads a bare key (or table name).
    private mutating func parseBareKey(what: String) throws(ConfigError) -> String {
        if current == "\"" || current == "'" {
            throw notSupported("quoted \(what)s are",
                               hint: "write the \(what) without quotes, using letters, digits, '_' and '-'")
        }
        var key = ""
        while let c = current, Self.isBareKeyCharacter(c) {
            key.unicodeScalars.append(c)
            advance()
        }
        guard !key.isEmpty else {
            let found = current.map { atLineEnd ? "the end of the line" : "'\($0)'" } ?? "the end of the file"
            throw error("expected a \(what) but found \(found)",
                        hint: "\(what)s are made of letters, digits, '_' and '-'")
        }
        return key
    }

    /// `[name]` or `[[name]]`; returns the header as written, for messages.
    private mutating func parseHeader() throws(ConfigError) -> String {
        let headerLine = line
        advance()
        let isArray = current == "["
        if isArray { advance() }
        skipSpaces()
        let name = try parseBareKey(what: "table name")
        skipSpaces()
        let written = isArray ? "[[\(name)]]" : "[\(name)]"
        if current == "." {
            throw notSupported("dotted table names like [\(name).x] are",
                               hint: "ctperfd's tables are single names such as [node] or [[destination]]")
        }
        guard current == "]", !isArray || peek(1) == "]" else {
            throw error("table header \(written) is not closed", hint: "write it as \(written) on one line")
        }
        advance()
        if isArray { advance() }

        switch (definitions[name], isArray) {
        case (.table(let first)?, false):
            throw error("duplicate table [\(name)] (first at line \(first))",
                        hint: "merge the two [\(name)] sections into one")
        case (.table(let first)?, true):
            throw error("[[\(name)]] redefines the table [\(name)] from line \(first)",
                        hint: "use [\(name)] once, or [[\(name)]] for every block")
        case (.arrayOfTables(let first)?, false):
            throw error("[\(name)] redefines the array of tables [[\(name)]] from line \(first)",
                        hint: "write every \(name) block as [[\(name)]]")
        case (.key(let first)?, _):
            throw error("\(written) redefines the key '\(name)' set at line \(first)",
                        hint: "remove the key '\(name)' at line \(first)")
        case (.arrayOfTables?, true), (nil, _):
            if definitions[name] == nil {
                definitions[name] = isArray ? .arrayOfTables(line: headerLine) : .table(line: headerLine)
            }
        }
        document.tables.append(TOMLTable(name: name, isArrayElement: isArray, line: headerLine))
        currentTable = document.tables.count - 1
        return written
    }

    /// `key = value`; returns the key.
    private mutating func parseKeyValue() throws(ConfigError) -> String {
        let keyLine = line, keyColumn = column
        let key = try parseBareKey(what: "key")
        skipSpaces()
        if current == "." {
            throw notSupported("dotted keys like '\(key).x = ...' are",
                               hint: "put the key under its [table] header instead")
        }
        if atLineEnd || current == "#" {
            throw error("key '\(key)' has no value", hint: "write \(key) = <value>")
        }
        guard current == "=" else {
            throw error("expected '=' after the key '\(key)' but found '\(restOfLine)'",
                        hint: "write key = value; keys are made of letters, digits, '_' and '-'")
        }
        advance()
        skipSpaces()
        if atLineEnd || current == "#" {
            throw error("key '\(key)' has no value", hint: "write \(key) = <value>")
        }
        let value = try parseValue(inArrayOpenedAt: nil)

        let table = currentTable.map { document.tables[$0] } ?? document.root
        if let first = table[key] {
            throw error("duplicate key '\(key)' in \(table.displayName) (first at line \(first.line))",
                        hint: "remove one of the two lines", line: keyLine)
        }
        let entry = TOMLEntry(key: key, value: value, line: keyLine, column: keyColumn)
        if let currentTable {
            document.tables[currentTable].entries.append(entry)
        } else {
            document.root.entries.append(entry)
            definitions[key] = .key(line: keyLine)
        }
        return key
    }

    // MARK: Values

    /// A string, number, boolean or array starting at the cursor.
    private mutating func parseValue(inArrayOpenedAt arrayLine: Int?) throws(ConfigError) -> TOMLValue {
        let valueLine = line, valueColumn = column
        let kind: TOMLValue.Kind
        switch current {
        case "\""?:
            if peek(1) == "\"" && peek(2) == "\"" {
                throw notSupported("multi-line strings (\"\"\") are",
                                   hint: "write the string on one line, using \\n for line breaks")
            }
            kind = .string(try parseBasicString())
        case "'"?:
            if peek(1) == "'" && peek(2) == "'" {
                throw notSupported("multi-line literal strings (''') are",
                                   hint: "write the string on one line between single quotes")
            }
            kind = .string(try parseLiteralString())
        case "["?:
            if arrayLine != nil {
                throw notSupported("arrays inside arrays are",
                                   hint: "write a flat array of strings, numbers or booleans")
            }
            kind = .array(try parseArray())
        case "{"?:
            throw notSupported("inline tables ({ ... }) are",
                               hint: "write the values as keys under a [table] header")
        default:
            kind = try parseBareValue()
        }
        return TOMLValue(kind: kind, line: valueLine, column: valueColumn)
    }

    /// Whether the cursor is at something that starts a new line of the file (`key =` or a
    /// `[table]` header): inside an array, that means the array was never closed.
    private func looksLikeNewStatement() -> Bool {
        var i = index
        if chars[i] == "[" {
            i += 1
            if i < chars.count, chars[i] == "[" { i += 1 }
            let start = i
            while i < chars.count, Self.isBareKeyCharacter(chars[i]) { i += 1 }
            return i > start && i < chars.count && chars[i] == "]"
        }
        let start = i
        while i < chars.count, Self.isBareKeyCharacter(chars[i]) { i += 1 }
        guard i > start else { return false }
        while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 }
        return i < chars.count && chars[i] == "=" && (i + 1 >= chars.count || chars[i + 1] != "=")
    }

    /// Skips spaces, line ends and comments between array elements.
    private mutating func skipArrayFiller(openedAt openLine: Int) throws(ConfigError) {
        while true {
            skipSpaces()
            if current == "#" { skipComment() }
            if atLoneCarriageReturn { throw loneCarriageReturnError() }
            guard current != nil else { throw unclosedArray(openLine) }
            guard atLineEnd else { return }
            consumeLineEnd()
        }
    }

    private func unclosedArray(_ openLine: Int) -> ConfigError {
        error("array is not closed with ']'", hint: "add ']' after the last element", line: openLine)
    }

    /// `[a, b, ...]` of scalars; may span lines, allows a trailing comma and comments.
    private mutating func parseArray() throws(ConfigError) -> [TOMLValue] {
        let openLine = line
        advance()
        var items: [TOMLValue] = []
        while true {
            try skipArrayFiller(openedAt: openLine)
            if current == "]" { advance(); return items }
            if line != openLine && looksLikeNewStatement() { throw unclosedArray(openLine) }
            if current == "," {
                throw error("expected an array element but found ','", hint: "remove the extra comma")
            }
            items.append(try parseValue(inArrayOpenedAt: openLine))
            try skipArrayFiller(openedAt: openLine)
            if current == "," { advance(); continue }
            if current == "]" { advance(); return items }
            if looksLikeNewStatement() { throw unclosedArray(openLine) }
            throw error("expected ',' or ']' after an array element but found '\(restOfLine)'",
                        hint: "separate array elements with commas")
        }
    }
}
