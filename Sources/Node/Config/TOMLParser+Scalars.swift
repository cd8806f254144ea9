/// Strings, numbers and booleans of ctperfd's TOML subset.
extension TOMLParser {
    private static let numberHint =
        "write numbers like 42, -7, 1_000, 1.5 or 2.5e-3 (no leading zeros, '_' only between digits)"

    private static func isDigit(_ c: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(c)
    }

    private static func isControl(_ c: Unicode.Scalar) -> Bool {
        (c.value < 0x20 && c != "\t") || c.value == 0x7F
    }

    private func controlCharacterError(_ c: Unicode.Scalar) -> ConfigError {
        let code = String(c.value, radix: 16, uppercase: true)
        return error("control character U+\(String(repeating: "0", count: max(0, 4 - code.count)))\(code) in a string",
                     hint: "write tabs as \\t and line breaks as \\n inside \"double quotes\"")
    }

    private func unclosedStringError(quote: Character, line: Int) -> ConfigError {
        error("string is not closed", hint: "add the closing \(quote) on the same line; multi-line strings are not supported",
              line: line)
    }

    /// `"..."` with the escapes \" \\ \n \t \r \b \f \uXXXX \UXXXXXXXX.
    mutating func parseBasicString() throws(ConfigError) -> String {
        let startLine = line
        advance()
        var out = String.UnicodeScalarView()
        while true {
            guard let c = current, !atLineEnd else { throw unclosedStringError(quote: "\"", line: startLine) }
            if c == "\"" {
                advance()
                return String(out)
            }
            if c == "\\" {
                out.append(try parseEscape(stringLine: startLine))
                continue
            }
            if Self.isControl(c) { throw controlCharacterError(c) }
            out.append(c)
            advance()
        }
    }

    /// One escape sequence, cursor at the backslash.
    private mutating func parseEscape(stringLine: Int) throws(ConfigError) -> Unicode.Scalar {
        advance()
        guard let e = current, !atLineEnd else { throw unclosedStringError(quote: "\"", line: stringLine) }
        let badEscapeHint = "valid escapes are \\\" \\\\ \\n \\t \\r \\uXXXX; "
            + "for text with backslashes use a 'literal string' in single quotes"
        advance()
        switch e {
        case "\"": return "\""
        case "\\": return "\\"
        case "n": return "\n"
        case "t": return "\t"
        case "r": return "\r"
        case "b": return "\u{08}"
        case "f": return "\u{0C}"
        case "u", "U":
            let count = e == "u" ? 4 : 8
            var digits = ""
            for _ in 0..<count {
                guard let d = current, d.properties.isASCIIHexDigit else { break }
                digits.unicodeScalars.append(d)
                advance()
            }
            guard digits.count == count, let value = UInt32(digits, radix: 16), let scalar = Unicode.Scalar(value) else {
                throw error("bad escape '\\\(e)\(digits)' in a string: expected \(count) hex digits of a Unicode character",
                            hint: badEscapeHint)
            }
            return scalar
        default:
            throw error("bad escape '\\\(e)' in a string", hint: badEscapeHint)
        }
    }

    /// `'...'`: taken as written, no escapes.
    mutating func parseLiteralString() throws(ConfigError) -> String {
        let startLine = line
        advance()
        var out = String.UnicodeScalarView()
        while true {
            guard let c = current, !atLineEnd else { throw unclosedStringError(quote: "'", line: startLine) }
            if c == "'" {
                advance()
                return String(out)
            }
            if Self.isControl(c) { throw controlCharacterError(c) }
            out.append(c)
            advance()
        }
    }

    /// A boolean or number: a run of characters up to a space, ',', ']', '#' or the line end.
    mutating func parseBareValue() throws(ConfigError) -> TOMLValue.Kind {
        var token = ""
        while let c = current, !atLineEnd,
              !([" ", "\t", "\r", ",", "]", "[", "#", "=", "\"", "'", "{", "}"] as [Unicode.Scalar]).contains(c) {
            token.unicodeScalars.append(c)
            advance()
        }
        guard !token.isEmpty else {
            throw error("expected a value but found '\(restOfLine)'",
                        hint: "write a value such as 42, 1.5, \"text\", true or [\"a\", \"b\"]")
        }
        switch token {
        case "true": return .boolean(true)
        case "false": return .boolean(false)
        case "inf", "+inf", "-inf", "nan", "+nan", "-nan":
            throw notSupported("inf and nan are", hint: "write a finite number")
        default: break
        }
        if Self.looksLikeDateOrTime(token) {
            throw notSupported("dates and times ('\(token)') are", hint: "write the date as a string in quotes")
        }
        let unsigned = token.drop { $0 == "+" || $0 == "-" }
        if unsigned.hasPrefix("0x") || unsigned.hasPrefix("0o") || unsigned.hasPrefix("0b") {
            throw notSupported("hexadecimal, octal and binary integers ('\(token)') are",
                               hint: "write the number in decimal")
        }
        if let number = try parseNumber(token) { return number }
        if let first = token.unicodeScalars.first, first.properties.isAlphabetic {
            if token.lowercased() == "true" || token.lowercased() == "false" {
                throw error("'\(token)' is not a boolean", hint: "write true or false in lower case")
            }
            throw error("'\(token)' is not a valid value", hint: "put text in double quotes: \"\(token)\"")
        }
        throw error("bad number '\(token)'", hint: Self.numberHint)
    }

    /// `1979-05-27...` or `07:32...`: the start of a TOML date or time.
    private static func looksLikeDateOrTime(_ token: String) -> Bool {
        let s = Array(token.unicodeScalars)
        func digits(_ range: Range<Int>) -> Bool {
            range.upperBound <= s.count && s[range].allSatisfy(isDigit)
        }
        return (digits(0..<4) && s.count > 4 && s[4] == "-") || (digits(0..<2) && s.count > 2 && s[2] == ":")
    }

    /// A decimal integer or float in TOML's grammar; nil when `token` is not shaped like one.
    /// Throws when it is shaped like one but does not fit (64-bit integer, finite double).
    private func parseNumber(_ token: String) throws(ConfigError) -> TOMLValue.Kind? {
        let s = Array(token.unicodeScalars)
        var i = 0
        var cleaned = ""

        /// Digits with single '_' between them; appends the digits to `cleaned`.
        func readDigits() -> String? {
            var run = ""
            var lastWasDigit = false
            while i < s.count {
                let c = s[i]
                if Self.isDigit(c) {
                    run.unicodeScalars.append(c)
                    lastWasDigit = true
                } else if c == "_" && lastWasDigit && i + 1 < s.count && Self.isDigit(s[i + 1]) {
                    lastWasDigit = false
                } else {
                    break
                }
                i += 1
            }
            guard !run.isEmpty else { return nil }
            cleaned += run
            return run
        }

        if i < s.count, s[i] == "+" || s[i] == "-" {
            if s[i] == "-" { cleaned = "-" }
            i += 1
        }
        guard let integerPart = readDigits() else { return nil }
        if integerPart.count > 1 && integerPart.hasPrefix("0") { return nil }
        var isFloat = false
        if i < s.count, s[i] == "." {
            i += 1
            cleaned += "."
            guard readDigits() != nil else { return nil }
            isFloat = true
        }
        if i < s.count, s[i] == "e" || s[i] == "E" {
            i += 1
            cleaned += "e"
            if i < s.count, s[i] == "+" || s[i] == "-" {
                cleaned.unicodeScalars.append(s[i])
                i += 1
            }
            guard readDigits() != nil else { return nil }
            isFloat = true
        }
        guard i == s.count else { return nil }

        if isFloat {
            guard let value = Double(cleaned), value.isFinite else {
                throw error("number '\(token)' is too large", hint: "write a number of reasonable size")
            }
            return .float(value)
        }
        guard let value = Int(cleaned) else {
            throw error("integer '\(token)' does not fit in 64 bits", hint: "write a smaller number")
        }
        return .integer(value)
    }
}
