import Foundation
import TestSupport
import Testing

/// The man pages (man/) agree with the built binaries' --help and with config/ctperfd.toml, and
/// render without warnings: an option, command, exit code or configuration key added to one and
/// not the other fails here.
@Suite struct ManPageTests {
    /// ctperf's commands with options, and how `ctperf help` names their help.
    static let commands = ["analyze", "inspect", "phantom", "status", "retry"]

    /// Options the help texts list but the man pages deliberately do not repeat per command.
    static let excludedFromManSections: Set<String> = [
        // Every command accepts -h/--help; ctperf(1) says so once, at the top of COMMANDS,
        // instead of in each command's subsection.
        "--help",
    ]

    @Test func everyCommandsOptionsMatchItsManSubsection() throws {
        let page = try ManPage(Repo.path("man/ctperf.1"))
        for command in Self.commands {
            let help = try Self.help(command)
            let helpOptions = ManPage.optionNames(help).subtracting(Self.excludedFromManSections)
            guard let section = page.subsection(command, of: "COMMANDS") else {
                Issue.record("ctperf.1 has no .SS \(command) under COMMANDS")
                continue
            }
            let manOptions = ManPage.optionNames(section).subtracting(Self.excludedFromManSections)
            #expect(helpOptions == manOptions,
                    "ctperf \(command): only in --help: \(helpOptions.subtracting(manOptions).sorted()); only in ctperf.1: \(manOptions.subtracting(helpOptions).sorted())")
            #expect(!helpOptions.isEmpty, "no options found in ctperf \(command) --help")
        }
    }

    @Test func everyOptionInAHelpTextIsAcceptedByTheParser() throws {
        for command in Self.commands {
            for option in ManPage.optionNames(try Self.help(command)) {
                // Point status/retry at a state directory that does not exist, so a probe reads
                // or changes nothing real.
                let extra = ["status", "retry"].contains(command) && option != "--state-dir" ? ["--state-dir", "/nonexistent-ctperf-probe"] : []
                let r = try CLI.run(CLI.ctperf, [command, option] + extra)
                #expect(!r.stderr.contains("unknown option"), "ctperf \(command) \(option): \(r.stderr)")
            }
        }
        for option in ManPage.optionNames(try Self.ctperfdHelp()) {
            // A configuration that does not exist: no probe can start the daemon.
            let r = try CLI.run(Self.ctperfd, [option, "--check-config", "--config", "/nonexistent-ctperf-probe.toml"])
            #expect(!r.stderr.contains("unknown argument"), "ctperfd \(option): \(r.stderr)")
        }
    }

    @Test func ctperfdOptionsMatchItsManPage() throws {
        let page = try ManPage(Repo.path("man/ctperfd.8"))
        let helpOptions = ManPage.optionNames(try Self.ctperfdHelp())
        let manOptions = ManPage.optionNames(try #require(page.section("OPTIONS"), "ctperfd.8 has no OPTIONS"))
        #expect(helpOptions == manOptions,
                "ctperfd: only in --help: \(helpOptions.subtracting(manOptions).sorted()); only in ctperfd.8: \(manOptions.subtracting(helpOptions).sorted())")
        #expect(helpOptions.isSuperset(of: ["--config", "--check-config", "--version", "--help"]))
    }

    @Test func everyCommandInTheUsageHasASubsection() throws {
        let usage = try Self.usage()
        let listed = Self.block(after: "commands:", in: usage).compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(Set(listed).isSuperset(of: Self.commands + ["help"]), "commands in ctperf --help: \(listed)")
        let page = try ManPage(Repo.path("man/ctperf.1"))
        for command in listed {
            #expect(page.subsectionTitles(of: "COMMANDS").contains(command), "ctperf.1 has no .SS \(command) under COMMANDS")
        }
        #expect(Set(page.subsectionTitles(of: "COMMANDS")) == Set(listed), "ctperf.1 COMMANDS: \(page.subsectionTitles(of: "COMMANDS"))")
    }

    @Test func everyExitCodeInTheUsageIsInExitStatus() throws {
        let codes = Self.block(after: "exit codes:", in: try Self.usage()).compactMap { $0.split(separator: " ").first.flatMap { Int($0) } }
        #expect(codes.count >= 6, "exit codes in ctperf --help: \(codes)")
        let page = try ManPage(Repo.path("man/ctperf.1"))
        let documented = Set(page.tags(in: try #require(page.section("EXIT STATUS"))).compactMap(Int.init))
        for code in codes { #expect(documented.contains(code), "exit code \(code) is not in ctperf.1 EXIT STATUS") }
    }

    @Test func everyConfigKeyHasAnEntryUnderItsTable() throws {
        let example = try ExampleConfig(Repo.path("config/ctperfd.toml"))
        #expect(example.tables.keys.count >= 8 && example.tables["destination"] != nil, "tables: \(example.tables.keys.sorted())")
        let page = try ManPage(Repo.path("man/ctperfd.toml.5"))
        var documented: [String: Set<String>] = [:]
        for title in page.subsectionTitles(of: "TABLES AND KEYS") {
            let name = title.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            documented[name] = Set(page.tags(in: page.subsection(title, of: "TABLES AND KEYS") ?? []))
        }
        #expect(Set(documented.keys) == Set(example.tables.keys), "tables in ctperfd.toml.5: \(documented.keys.sorted())")
        for (table, keys) in example.tables {
            let entries = documented[table] ?? []
            #expect(keys == entries,
                    "[\(table)]: keys without an entry in ctperfd.toml.5: \(keys.subtracting(entries).sorted()); entries not in config/ctperfd.toml: \(entries.subtracting(keys).sorted())")
        }
    }

    @Test(arguments: ["man/ctperf.1", "man/ctperfd.8", "man/ctperfd.toml.5"])
    func pageRendersWithoutWarnings(_ file: String) throws {
        let path = Repo.path(file)
        let groff = try CLI.run("groff", ["-man", "-Tutf8", "-ww", "-z", path])
        #expect(groff.status == 0 && groff.stderr.isEmpty, "groff \(file): \(groff.stderr)")
        let man = try CLI.run("man", ["--warnings", "-l", path])
        #expect(man.status == 0 && man.stderr.isEmpty, "man --warnings -l \(file): \(man.stderr)")
        #expect(man.stdout.contains("NAME"))
    }

    // MARK: Helpers

    static var ctperfd: String { CLI.binDirectory.appendingPathComponent("ctperfd").path }

    /// `ctperf help COMMAND`, required to equal `ctperf COMMAND --help`.
    static func help(_ command: String) throws -> String {
        let a = try CLI.run(CLI.ctperf, ["help", command])
        let b = try CLI.run(CLI.ctperf, [command, "--help"])
        #expect(a.status == 0 && b.status == 0 && a.stdout == b.stdout, "ctperf help \(command) differs from ctperf \(command) --help")
        return a.stdout
    }

    static func usage() throws -> String {
        let r = try CLI.run(CLI.ctperf, ["--help"])
        guard r.status == 0 else { throw TestFailure("ctperf --help exited \(r.status): \(r.stderr)") }
        return r.stdout
    }

    static func ctperfdHelp() throws -> String {
        let r = try CLI.run(ctperfd, ["--help"])
        guard r.status == 0 else { throw TestFailure("ctperfd --help exited \(r.status): \(r.stderr)") }
        return r.stdout
    }

    /// The indented lines after `header` up to the next blank line, trimmed.
    static func block(after header: String, in text: String) -> [String] {
        let lines = text.components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: header) else { return [] }
        return lines[(start + 1)...].prefix { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .filter { $0.hasPrefix("  ") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
    }
}

/// Paths in this repository (found from this file's location).
enum Repo {
    static func path(_ relative: String) -> String {
        var parts = URL(fileURLWithPath: #filePath).pathComponents
        parts.removeLast(3)
        return (parts + [relative]).joined(separator: "/").replacingOccurrences(of: "//", with: "/")
    }
}

/// A man page's source, split into .SH sections and .SS subsections, with roff escapes turned
/// into plain text (enough for option names and entry tags; not a roff renderer).
struct ManPage {
    /// (section title, subsection title or nil, plain-text lines).
    private var parts: [(section: String, subsection: String?, lines: [String])] = []

    init(_ path: String) throws {
        let source = try String(contentsOfFile: path, encoding: .utf8)
        var section = "", subsection: String?
        var lines: [String] = []
        func flush() { if !section.isEmpty { parts.append((section, subsection, lines)) }; lines = [] }
        for raw in source.components(separatedBy: "\n") where !raw.hasPrefix(".\\\"") {
            let line = ManPage.plain(raw)
            if raw.hasPrefix(".SH ") {
                flush(); section = ManPage.title(line, macro: ".SH"); subsection = nil
            } else if raw.hasPrefix(".SS ") {
                flush(); subsection = ManPage.title(line, macro: ".SS")
            } else {
                lines.append(line)
            }
        }
        flush()
    }

    /// The whole .SH section, subsections included.
    func section(_ title: String) -> [String]? {
        let found = parts.filter { $0.section == title }
        return found.isEmpty ? nil : found.flatMap { ($0.subsection.map { [".SS " + $0] } ?? []) + $0.lines }
    }

    func subsection(_ title: String, of section: String) -> [String]? {
        parts.first { $0.section == section && $0.subsection == title }?.lines
    }

    func subsectionTitles(of section: String) -> [String] {
        parts.filter { $0.section == section }.compactMap(\.subsection)
    }

    /// The first word of each .TP entry's tag line (option, key or exit code).
    func tags(in lines: [String]) -> [String] {
        zip(lines, lines.dropFirst()).compactMap { pair in
            guard pair.0 == ".TP" else { return nil }
            return ManPage.words(pair.1).first
        }
    }

    /// Option names (`--name`) in `lines`, with `_` spelled `-` as ctperf's parser treats them.
    static func optionNames(_ lines: [String]) -> Set<String> { optionNames(lines.joined(separator: "\n")) }

    static func optionNames(_ text: String) -> Set<String> {
        let regex = try! NSRegularExpression(pattern: "--[a-z][a-z0-9_-]*")
        let range = NSRange(text.startIndex..., in: text)
        return Set(regex.matches(in: text, range: range).compactMap { match in
            Range(match.range, in: text).map { String(text[$0]).replacingOccurrences(of: "_", with: "-") }
        })
    }

    /// A source line with the roff escapes the pages use turned into text (macro names kept).
    static func plain(_ line: String) -> String {
        var s = line
        for (escape, text) in [("\\-", "-"), ("\\%", ""), ("\\&", ""), ("\\e", "\\"), ("\\(em", "—"), ("\\(dq", "\""),
                               ("\\(aq", "'"), ("\\(mu", "x"), ("\\(bu", "*")] {
            s = s.replacingOccurrences(of: escape, with: text)
        }
        return s.replacingOccurrences(of: "\\\\f[BIRP]", with: "", options: .regularExpression)
    }

    /// The words of a line without its macro (`.B`, `.BR` ...) and quotes.
    static func words(_ line: String) -> [String] {
        var w = line.split(separator: " ").map(String.init)
        if w.first?.hasPrefix(".") == true { w.removeFirst() }
        return w.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }.filter { !$0.isEmpty }
    }

    static func title(_ line: String, macro: String) -> String {
        String(line.dropFirst(macro.count)).trimmingCharacters(in: CharacterSet(charactersIn: " \""))
    }
}

/// The tables and keys config/ctperfd.toml documents: `key = value` lines and commented
/// `# key = value` lines, under `[table]` or `[[table]]` headers (also when commented out, as the
/// example [[destination]] block is).
struct ExampleConfig {
    var tables: [String: Set<String>] = [:]

    init(_ path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let header = try NSRegularExpression(pattern: #"^#?\s*\[\[?([a-z_]+)\]\]?\s*$"#)
        // A whole `key = value` line (a TOML value, then at most a comment): prose such as
        // "# tls = true. See the README ..." is not a key.
        let key = try NSRegularExpression(
            pattern: #"^#?\s*([a-z][a-z0-9_]*)\s*=\s*("[^"]*"|'[^']*'|-?[0-9][0-9_.eE+-]*|true|false|\[.*\]?)\s*(#.*)?$"#)
        var table: String?
        for line in text.components(separatedBy: "\n") {
            let range = NSRange(line.startIndex..., in: line)
            if let m = header.firstMatch(in: line, range: range), let r = Range(m.range(at: 1), in: line) {
                table = String(line[r])
                tables[table!, default: []].formUnion([])
            } else if let table, let m = key.firstMatch(in: line, range: range), let r = Range(m.range(at: 1), in: line) {
                tables[table, default: []].insert(String(line[r]))
            }
        }
    }
}
