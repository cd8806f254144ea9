#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import TestSupport
@testable import Node

/// ConfigLoader: the example file, defaults, the mapping of every key, and each error a
/// sysadmin can make, with its line and exact message.
@Suite struct ConfigTests {
    static let path = "/etc/ctperf/ctperfd.toml"

    private func parse(_ text: String) throws -> NodeConfiguration {
        try ConfigLoader.parse(text: text, path: Self.path)
    }

    /// The error loading `text` fails with, or nil when it loads.
    private func failure(_ text: String) -> ConfigError? {
        do {
            _ = try ConfigLoader.parse(text: text, path: Self.path)
            return nil
        } catch {
            return error
        }
    }

    private func expected(_ line: Int?, _ message: String, _ hint: String?) -> ConfigError {
        ConfigError(path: Self.path, line: line, message: message, hint: hint)
    }

    /// config/ctperfd.toml in the source tree: three directories up from this file.
    static var exampleFilePath: String {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return (parts + ["config", "ctperfd.toml"]).joined(separator: "/")
    }

    // MARK: The example file and defaults

    @Test func exampleFileLoadsAsTheDefaults() throws {
        let config = try ConfigLoader.load(path: Self.exampleFilePath)
        var want = NodeConfiguration()
        want.sourcePath = Self.exampleFilePath
        #expect(config == want)
        #expect(config.node.stateDir == "/var/lib/ctperf")
        #expect(config.node.resultsDir == "/var/lib/ctperf/results")
    }

    @Test func exampleFileDocumentsEveryKey() throws {
        let text = try String(contentsOfFile: Self.exampleFilePath, encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        for (table, keys) in ConfigSchema.tables {
            #expect(lines.contains("[\(table)]"), "missing [\(table)]")
            for key in keys {
                #expect(lines.contains { $0.hasPrefix("\(key) = ") || $0.hasPrefix("# \(key) = ") },
                        "\(table).\(key) is not in the example file")
            }
        }
        #expect(lines.contains("# [[destination]]"))
        for key in ConfigSchema.arraysOfTables[0].keys {
            #expect(lines.contains { $0.hasPrefix("# \(key) = ") })
        }
        // The commented example, uncommented, is a valid destination.
        let uncommented = text.replacingOccurrences(of: "# [[destination]]", with: "[[destination]]")
            .replacingOccurrences(of: "# name = ", with: "name = ").replacingOccurrences(of: "# ae_title = \"PACS\"", with: "ae_title = \"PACS\"")
            .replacingOccurrences(of: "# host = ", with: "host = ").replacingOccurrences(of: "# port = 104", with: "port = 104")
        let c = try ConfigLoader.parse(text: uncommented, path: "example")
        #expect(c.destinations == [.init(name: "pacs", aeTitle: "PACS", host: "10.0.0.20", port: 104)])
        #expect(text.contains("--check-config"))
        for key in ConfigLoader.restartOnlyKeys {
            #expect(text.contains(key), "the example file does not say that \(key) needs a restart")
        }
    }

    @Test func emptyFileGivesTheDefaults() throws {
        var want = NodeConfiguration()
        want.sourcePath = Self.path
        #expect(try parse("") == want)
        #expect(try parse("# only a comment\n\n[node]\n[logging]\n") == want)
    }

    @Test func resultsDirDefaultsToStateDirResults() throws {
        #expect(try parse("[node]\nstate_dir = \"/srv/ctperf\"\n").node.resultsDir == "/srv/ctperf/results")
        #expect(try parse("[node]\nstate_dir = \"/srv/ctperf/\"\n").node.resultsDir == "/srv/ctperf/results")
        #expect(try parse("[node]\nstate_dir = \"/\"\n").node.resultsDir == "/results")
        let both = try parse("[node]\nresults_dir = \"/data/results\"\nstate_dir = \"/srv/ctperf\"\n")
        #expect(both.node.resultsDir == "/data/results")
        #expect(both.node.stateDir == "/srv/ctperf")
    }

    @Test func everyKeyIsMappedToItsField() throws {
        let config = try parse("""
            [node]
            ae_title = "NODE1"
            port = 104
            state_dir = "/srv/ctperf"
            results_dir = "/srv/results"
            max_associations = 4
            allowed_calling_ae_titles = ["CT1", "CT2"]
            allowed_hosts = ["10.0.0.1", "192.168.0.0/16"]
            min_free_disk_mb = 0
            network_timeout_seconds = 30
            [detection]
            quiet_seconds = 15.5
            max_wait_seconds = 600
            min_time_points = 12
            min_duration_seconds = 40
            [analysis]
            tmax_threshold_s = 10
            rcbf_threshold = 0.38
            timeout_seconds = 1200
            max_attempts = 3
            ctperf_path = "/opt/ctperf/bin/ctperf"
            workers = 2
            [sending]
            calling_ae_title = "SENDER"
            retry_initial_seconds = 2.5
            retry_max_seconds = 120
            give_up_after_hours = 24
            timeout_seconds = 45
            [[destination]]
            name = "pacs-main"
            ae_title = "MAINPACS"
            host = "pacs.example.org"
            port = 104
            [[destination]]
            name = "research.1"
            ae_title = "RESEARCH"
            host = "10.0.0.20"
            port = 11112
            [retention]
            keep_days = 0.5
            keep_results = true
            interval_minutes = 15
            [logging]
            level = "debug"
            """)
        var want = NodeConfiguration()
        want.sourcePath = Self.path
        want.node.aeTitle = "NODE1"
        want.node.port = 104
        want.node.stateDir = "/srv/ctperf"
        want.node.resultsDir = "/srv/results"
        want.node.maxAssociations = 4
        want.node.allowedCallingAETitles = ["CT1", "CT2"]
        want.node.allowedHosts = ["10.0.0.1", "192.168.0.0/16"]
        want.node.minFreeDiskMB = 0
        want.node.networkTimeoutSeconds = 30
        want.detection.quietSeconds = 15.5
        want.detection.maxWaitSeconds = 600
        want.detection.minTimePoints = 12
        want.detection.minDurationSeconds = 40
        want.analysis.tmaxThresholdS = 10
        want.analysis.rcbfThreshold = 0.38
        want.analysis.timeoutSeconds = 1200
        want.analysis.maxAttempts = 3
        want.analysis.ctperfPath = "/opt/ctperf/bin/ctperf"
        want.analysis.workers = 2
        want.sending.callingAETitle = "SENDER"
        want.sending.retryInitialSeconds = 2.5
        want.sending.retryMaxSeconds = 120
        want.sending.giveUpAfterHours = 24
        want.sending.timeoutSeconds = 45
        want.destinations = [
            .init(name: "pacs-main", aeTitle: "MAINPACS", host: "pacs.example.org", port: 104),
            .init(name: "research.1", aeTitle: "RESEARCH", host: "10.0.0.20", port: 11112),
        ]
        want.retention.keepDays = 0.5
        want.retention.keepResults = true
        want.retention.intervalMinutes = 15
        want.logging.level = "debug"
        #expect(config == want)
    }

    @Test func boundaryValuesAreAccepted() throws {
        let config = try parse("""
            [node]
            port = 65535
            max_associations = 64
            min_free_disk_mb = 0
            network_timeout_seconds = 3600
            ae_title = "ABCDEFGHIJKLMNOP"
            [detection]
            quiet_seconds = 3600
            max_wait_seconds = 3600
            min_time_points = 3
            [analysis]
            tmax_threshold_s = 30
            rcbf_threshold = 0.9
            timeout_seconds = 10
            max_attempts = 10
            workers = 16
            [sending]
            retry_initial_seconds = 300
            retry_max_seconds = 300
            timeout_seconds = 1
            """)
        #expect(config.node.port == 65535)
        #expect(config.node.aeTitle == "ABCDEFGHIJKLMNOP")
        #expect(config.detection.maxWaitSeconds == 3600)
        #expect(config.analysis.tmaxThresholdS == 30)
        #expect(config.analysis.workers == 16)
        #expect(config.sending.timeoutSeconds == 1)
    }

    // MARK: Names

    @Test func unknownKeyNamesItsLineAndTheLikelyKey() throws {
        let text = """
            # ctperfd
            # configuration
            [node]
            port = 11112
            #
            #
            #
            #
            #
            #
            #
            aetitle = "CTPERF"
            """
        let error = try #require(failure(text))
        #expect(error == expected(12, "unknown key 'aetitle' in [node]", "did you mean 'ae_title'?"))
        #expect(error.description
                == "/etc/ctperf/ctperfd.toml:12: unknown key 'aetitle' in [node] — did you mean 'ae_title'?")
    }

    /// (file text, expected line, expected message, expected hint).
    static let nameErrors: [(String, Int, String, String?)] = [
        ("[analysis]\ntimeout = 60\n", 2, "unknown key 'timeout' in [analysis]", "did you mean 'timeout_seconds'?"),
        ("[detection]\nquiet_secs = 20\n", 2, "unknown key 'quiet_secs' in [detection]", "did you mean 'quiet_seconds'?"),
        ("[logging]\nLevel = \"info\"\n", 2, "unknown key 'Level' in [logging]", "did you mean 'level'?"),
        ("[node]\nprot = 104\n", 2, "unknown key 'prot' in [node]", "did you mean 'port'?"),
        ("[retention]\nfoo = 1\n", 2, "unknown key 'foo' in [retention]",
         "the keys of [retention] are keep_days, keep_results, interval_minutes"),
        ("[[destination]]\nname = \"a\"\naetitle = \"A\"\n", 3, "unknown key 'aetitle' in [[destination]]",
         "did you mean 'ae_title'?"),
        ("[node]\n[loging]\n", 2, "unknown table [loging]", "did you mean '[logging]'?"),
        ("[destinations]\n", 1, "unknown table [destinations]", "did you mean '[[destination]]'?"),
        ("[[destinations]]\n", 1, "unknown table [[destinations]]", "did you mean '[[destination]]'?"),
        ("[database]\n", 1, "unknown table [database]",
         "the tables are [node], [detection], [analysis], [sending], [tls], [retention], [logging], [[destination]]"),
        ("[destination]\nname = \"a\"\n", 1, "destination blocks are an array of tables",
         "write [[destination]], one block per destination"),
        ("[[node]]\n", 1, "[node] is a single table, not an array of tables", "write [node]"),
        ("\nport = 104\n[node]\n", 2, "key 'port' is outside any table", "put it under [node] or [tls] or [[destination]]"),
        ("level = \"info\"\n", 1, "key 'level' is outside any table", "put it under [logging]"),
        ("colour = 1\n", 1, "key 'colour' is outside any table", "put each key under its table header, e.g. [node]"),
    ]

    @Test(arguments: nameErrors)
    func unknownNamesAreRejected(text: String, line: Int, message: String, hint: String?) {
        #expect(failure(text) == expected(line, message, hint))
    }

    // MARK: Types

    static let typeErrors: [(String, Int, String, String?)] = [
        ("[node]\nport = \"11112\"\n", 2, "port in [node] must be an integer, not a string (\"11112\")",
         "write a whole number without quotes or decimal point"),
        ("[detection]\nmin_time_points = 10.0\n", 2, "min_time_points in [detection] must be an integer, not a float (10.0)",
         "write a whole number without quotes or decimal point"),
        ("[detection]\nquiet_seconds = \"20\"\n", 2, "quiet_seconds in [detection] must be a number, not a string (\"20\")",
         "write a number without quotes, e.g. 1.5 or 20"),
        ("[node]\nae_title = 5\n", 2, "ae_title in [node] must be a string, not an integer (5)",
         "put the text in double quotes: ae_title = \"...\""),
        ("[retention]\nkeep_results = \"yes\"\n", 2, "keep_results in [retention] must be a boolean, not a string (\"yes\")",
         "write keep_results = true or keep_results = false"),
        ("[node]\nallowed_hosts = \"10.0.0.1\"\n", 2,
         "allowed_hosts in [node] must be an array of strings, not a string (\"10.0.0.1\")",
         "write allowed_hosts = [\"first\", \"second\"]"),
        ("[node]\nallowed_hosts = [\n  \"10.0.0.1\",\n  5,\n]\n", 4,
         "allowed_hosts in [node] must be an array of strings, but element 2 is an integer (5)",
         "write allowed_hosts = [\"first\", \"second\"]"),
        ("[[destination]]\nname = \"a\"\nae_title = \"A\"\nhost = \"h\"\nport = \"104\"\n", 5,
         "port in [[destination]] must be an integer, not a string (\"104\")",
         "write a whole number without quotes or decimal point"),
    ]

    @Test(arguments: typeErrors)
    func wrongTypesNameTheExpectedType(text: String, line: Int, message: String, hint: String?) {
        #expect(failure(text) == expected(line, message, hint))
    }

    @Test func integersAreAcceptedWhereFloatsAreExpected() throws {
        let config = try parse("[detection]\nquiet_seconds = 25\n[retention]\nkeep_days = 3\n")
        #expect(config.detection.quietSeconds == 25.0)
        #expect(config.retention.keepDays == 3.0)
    }

    @Test func suggestionsUseEditDistanceWithAdjacentSwaps() {
        #expect(NameSuggestion.editDistance("prot", "port") == 1)
        #expect(NameSuggestion.editDistance("aetitle", "ae_title") == 1)
        #expect(NameSuggestion.editDistance("kitten", "sitting") == 3)
        #expect(NameSuggestion.editDistance("", "abc") == 3)
        #expect(NameSuggestion.closest(to: "workrs", in: ["worker_count", "workers"]) == "workers")
        #expect(NameSuggestion.closest(to: "xyz", in: ["port", "level"]) == nil)
        #expect(NameSuggestion.closest(to: "host", in: ["port"]) == nil)
        #expect(NameSuggestion.closest(to: "PORT", in: ["port"]) == "port")
    }
}
