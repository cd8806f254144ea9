import Testing
@testable import Node

/// The TOML subset parser on its own: values, positions, and each syntax error with its line.
@Suite struct TOMLTests {
    private func parse(_ text: String) throws -> TOMLDocument {
        try TOMLParser.parse(text, path: "test.toml")
    }

    /// The error `text` fails with, or nil when it parses.
    private func failure(_ text: String) -> ConfigError? {
        do {
            _ = try TOMLParser.parse(text, path: "test.toml")
            return nil
        } catch {
            return error
        }
    }

    @Test func scalarsKeepTheirValuesLinesAndColumns() throws {
        let doc = try parse("""
            # comment at the top
            top = "root"

            [node]   # comment after a header
            ae_title = "CTPERF"  # comment after a value
            port = 11_112
            neg = -7
            plus = +3
            zero = 0
            f1 = 1.5
            f2 = -0.3
            f3 = 1e3
            f4 = 2.5E-2
            f5 = 1_0.2_5
            yes = true
            no = false
            lit = 'C:\\dir\\x # not a comment'
            """)
        #expect(doc.root.entries.map(\.key) == ["top"])
        let node = try #require(doc.table("node"))
        #expect(node.line == 4)
        #expect(node.entries.map(\.key) == ["ae_title", "port", "neg", "plus", "zero", "f1", "f2", "f3", "f4", "f5",
                                            "yes", "no", "lit"])
        #expect(node["ae_title"]?.value.kind == .string("CTPERF"))
        #expect(node["ae_title"]?.line == 5)
        #expect(node["ae_title"]?.column == 1)
        #expect(node["ae_title"]?.value.column == 12)
        #expect(node["port"]?.value.kind == .integer(11112))
        #expect(node["port"]?.value.line == 6)
        #expect(node["neg"]?.value.kind == .integer(-7))
        #expect(node["plus"]?.value.kind == .integer(3))
        #expect(node["zero"]?.value.kind == .integer(0))
        #expect(node["f1"]?.value.kind == .float(1.5))
        #expect(node["f2"]?.value.kind == .float(-0.3))
        #expect(node["f3"]?.value.kind == .float(1000))
        #expect(node["f4"]?.value.kind == .float(0.025))
        #expect(node["f5"]?.value.kind == .float(10.25))
        #expect(node["yes"]?.value.kind == .boolean(true))
        #expect(node["no"]?.value.kind == .boolean(false))
        #expect(node["lit"]?.value.kind == .string("C:\\dir\\x # not a comment"))
    }

    @Test func basicStringEscapes() throws {
        let doc = try parse(#"s = "q\" b\\ n\n t\t r\r u\u00e9 U\U0001F600 #""#)
        #expect(doc.root["s"]?.value.kind == .string("q\" b\\ n\n t\t r\r u\u{e9} U\u{1F600} #"))
    }

    @Test func arraysSpanLinesWithCommentsAndATrailingComma() throws {
        let doc = try parse("""
            [node]
            allowed_hosts = [  # who may connect
                "10.0.0.1",    # the scanner
                # a whole-line comment
                '10.1.0.0/16',
            ]
            empty = []
            numbers = [1, 2.5, true]
            after = 1
            """)
        let node = try #require(doc.table("node"))
        let hosts = try #require(node["allowed_hosts"]?.value)
        guard case .array(let items) = hosts.kind else {
            Issue.record("not an array: \(hosts)")
            return
        }
        #expect(items.map(\.kind) == [.string("10.0.0.1"), .string("10.1.0.0/16")])
        #expect(items.map(\.line) == [3, 5])
        #expect(node["empty"]?.value.kind == .array([]))
        #expect(node["numbers"]?.value.kind == .array([
            TOMLValue(kind: .integer(1), line: 8, column: 12),
            TOMLValue(kind: .float(2.5), line: 8, column: 15),
            TOMLValue(kind: .boolean(true), line: 8, column: 20),
        ]))
        #expect(node["after"]?.line == 9)
    }

    @Test func arrayOfTablesKeepsEachBlockInOrder() throws {
        let doc = try parse("""
            [[destination]]
            name = "a"
            [node]
            port = 1
            [[destination]]
            name = "b"
            """)
        let destinations = doc.arrayOfTables("destination")
        #expect(destinations.map(\.line) == [1, 5])
        #expect(destinations.map { $0["name"]?.value.kind } == [.string("a"), .string("b")])
        #expect(doc.table("destination") == nil)
        #expect(doc.table("node")?["port"]?.value.kind == .integer(1))
    }

    @Test func crlfLineEndingsAndAByteOrderMark() throws {
        let doc = try parse("\u{FEFF}[node]\r\nport = 5\r\n# c\r\nae_title = \"X\"\r\n")
        #expect(doc.table("node")?["port"]?.value.kind == .integer(5))
        #expect(doc.table("node")?["ae_title"]?.line == 4)
    }

    /// (file text, expected line, expected message, expected hint).
    static let syntaxErrors: [(String, Int, String, String?)] = [
        ("[node]\nport = 1\nport = 2\n", 3, "duplicate key 'port' in [node] (first at line 2)",
         "remove one of the two lines"),
        ("[node]\n[detection]\n\n[node]\n", 4, "duplicate table [node] (first at line 1)",
         "merge the two [node] sections into one"),
        ("[[destination]]\nname = \"a\"\n[destination]\n", 3,
         "[destination] redefines the array of tables [[destination]] from line 1",
         "write every destination block as [[destination]]"),
        ("[node]\n[[node]]\n", 2, "[[node]] redefines the table [node] from line 1",
         "use [node] once, or [[node]] for every block"),
        ("node = 1\n[node]\n", 2, "[node] redefines the key 'node' set at line 1",
         "remove the key 'node' at line 1"),
        ("\n[node]\nae_title = \"CTPERF\nport = 1\n", 3, "string is not closed",
         "add the closing \" on the same line; multi-line strings are not supported"),
        ("[node]\nstate_dir = '/var/lib\n", 2, "string is not closed",
         "add the closing ' on the same line; multi-line strings are not supported"),
        ("[node]\nallowed_hosts = [\"10.0.0.1\",\n  \"10.0.0.2\"\nport = 1\n", 2, "array is not closed with ']'",
         "add ']' after the last element"),
        ("[node]\nallowed_hosts = [\"10.0.0.1\",\n[detection]\n", 2, "array is not closed with ']'",
         "add ']' after the last element"),
        ("[node]\n\nallowed_hosts = [\"10.0.0.1\"", 3, "array is not closed with ']'",
         "add ']' after the last element"),
        ("[node]\nallowed_hosts = [\"a\" \"b\"]\n", 2,
         "expected ',' or ']' after an array element but found '\"b\"]'", "separate array elements with commas"),
        ("[node]\nallowed_hosts = [\"a\",, \"b\"]\n", 2, "expected an array element but found ','",
         "remove the extra comma"),
        ("[analysis]\n\nctperf_path = \"C:\\ctperf\"\n", 3, "bad escape '\\c' in a string",
         "valid escapes are \\\" \\\\ \\n \\t \\r \\uXXXX; for text with backslashes use a 'literal string' in single quotes"),
        ("a = \"\\u12\"\n", 1, "bad escape '\\u12' in a string: expected 4 hex digits of a Unicode character",
         "valid escapes are \\\" \\\\ \\n \\t \\r \\uXXXX; for text with backslashes use a 'literal string' in single quotes"),
        ("a = \"\\uD800\"\n", 1, "bad escape '\\uD800' in a string: expected 4 hex digits of a Unicode character",
         "valid escapes are \\\" \\\\ \\n \\t \\r \\uXXXX; for text with backslashes use a 'literal string' in single quotes"),
        ("a = \"tab\u{7}\"\n", 1, "control character U+0007 in a string",
         "write tabs as \\t and line breaks as \\n inside \"double quotes\""),
        ("[node]\nport = 1__0\n", 2, "bad number '1__0'", Self.numberHint),
        ("[node]\nport = 012\n", 2, "bad number '012'", Self.numberHint),
        ("[node]\nport = 1_\n", 2, "bad number '1_'", Self.numberHint),
        ("x = 1.\n", 1, "bad number '1.'", Self.numberHint),
        ("x = .5\n", 1, "bad number '.5'", Self.numberHint),
        ("x = 1e\n", 1, "bad number '1e'", Self.numberHint),
        ("x = 1.5.3\n", 1, "bad number '1.5.3'", Self.numberHint),
        ("x = --1\n", 1, "bad number '--1'", Self.numberHint),
        ("x = 9223372036854775808\n", 1, "integer '9223372036854775808' does not fit in 64 bits",
         "write a smaller number"),
        ("x = 1e400\n", 1, "number '1e400' is too large", "write a number of reasonable size"),
        ("[node]\nport = 11112 11113\n", 2, "unexpected '11113' after the value of 'port'",
         "put one 'key = value' or '[table]' per line; start comments with '#'"),
        ("[node]\nae_title = \"A\" B # c\n", 2, "unexpected 'B' after the value of 'ae_title'",
         "put one 'key = value' or '[table]' per line; start comments with '#'"),
        ("[node] port = 1\n", 1, "unexpected 'port = 1' after the table header [node]",
         "put one 'key = value' or '[table]' per line; start comments with '#'"),
        ("[node]\nport\n", 2, "key 'port' has no value", "write port = <value>"),
        ("[node]\nport =   # nothing\n", 2, "key 'port' has no value", "write port = <value>"),
        ("[node]\nport 11112\n", 2, "expected '=' after the key 'port' but found '11112'",
         "write key = value; keys are made of letters, digits, '_' and '-'"),
        ("[node]\n= 5\n", 2, "expected a key but found '='", "keys are made of letters, digits, '_' and '-'"),
        ("[node\n", 1, "table header [node] is not closed", "write it as [node] on one line"),
        ("[[destination]\n", 1, "table header [[destination]] is not closed", "write it as [[destination]] on one line"),
        ("[logging]\nlevel = debug\n", 2, "'debug' is not a valid value", "put text in double quotes: \"debug\""),
        ("[retention]\nkeep_results = True\n", 2, "'True' is not a boolean", "write true or false in lower case"),
        ("[node]\nport = \n", 2, "key 'port' has no value", "write port = <value>"),
        ("[node]\nport = 1\r", 2, "carriage return (CR) without a line feed",
         "save the file with Unix (LF) or Windows (CRLF) line endings"),
        ("[node]\rport = 1\n", 1, "carriage return (CR) without a line feed",
         "save the file with Unix (LF) or Windows (CRLF) line endings"),
        ("[node]\nallowed_hosts = [\r\"a\"]\n", 2, "carriage return (CR) without a line feed",
         "save the file with Unix (LF) or Windows (CRLF) line endings"),
    ]
    static let numberHint =
        "write numbers like 42, -7, 1_000, 1.5 or 2.5e-3 (no leading zeros, '_' only between digits)"

    @Test(arguments: syntaxErrors)
    func syntaxErrorNamesItsLine(text: String, line: Int, message: String, hint: String?) {
        #expect(failure(text) == ConfigError(path: "test.toml", line: line, message: message, hint: hint))
    }

    /// (file text, expected line, expected message).
    static let unsupported: [(String, Int, String)] = [
        ("[node]\nnode.port = 1\n", 2, "dotted keys like 'node.x = ...' are not supported by ctperfd's TOML subset"),
        ("[node.x]\n", 1, "dotted table names like [node.x] are not supported by ctperfd's TOML subset"),
        ("\"ae_title\" = 1\n", 1, "quoted keys are not supported by ctperfd's TOML subset"),
        ("[node]\n\nx = { a = 1 }\n", 3, "inline tables ({ ... }) are not supported by ctperfd's TOML subset"),
        ("x = \"\"\"text\"\"\"\n", 1, "multi-line strings (\"\"\") are not supported by ctperfd's TOML subset"),
        ("x = '''text'''\n", 1, "multi-line literal strings (''') are not supported by ctperfd's TOML subset"),
        ("[a]\nx = 1979-05-27\n", 2, "dates and times ('1979-05-27') are not supported by ctperfd's TOML subset"),
        ("x = 07:32:00\n", 1, "dates and times ('07:32:00') are not supported by ctperfd's TOML subset"),
        ("x = [[1, 2], [3]]\n", 1, "arrays inside arrays are not supported by ctperfd's TOML subset"),
        ("x = 0x1F\n", 1, "hexadecimal, octal and binary integers ('0x1F') are not supported by ctperfd's TOML subset"),
        ("x = -inf\n", 1, "inf and nan are not supported by ctperfd's TOML subset"),
        ("x = nan\n", 1, "inf and nan are not supported by ctperfd's TOML subset"),
    ]

    @Test(arguments: unsupported)
    func featuresOutsideTheSubsetAreNamed(text: String, line: Int, message: String) throws {
        let error = try #require(failure(text))
        #expect(error.line == line)
        #expect(error.message == message)
        #expect(error.hint != nil)
    }
}
