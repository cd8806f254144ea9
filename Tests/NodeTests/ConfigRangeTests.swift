import Testing
@testable import Node

/// ConfigLoader: each impossible value, cross-field rule and destination rule, with its line
/// and exact message.
@Suite struct ConfigRangeTests {
    static let path = "/etc/ctperf/ctperfd.toml"

    private func failure(_ text: String) -> ConfigError? {
        do {
            _ = try ConfigLoader.parse(text: text, path: Self.path)
            return nil
        } catch {
            return error
        }
    }

    static let aeRule = "AE titles are 1 to 16 ASCII characters, without backslash or control characters, and not only spaces"
    static let hostsHint = "write an IPv4 address like 10.0.0.5 or a block like 10.0.0.0/24"

    /// (file text, expected line, expected message, expected hint).
    static let rangeErrors: [(String, Int, String, String?)] = [
        // [node]
        ("[node]\n\nport = 0\n", 3, "port in [node] must be from 1 to 65535, not 0", "the default is 11112"),
        ("[node]\nport = 65536\n", 2, "port in [node] must be from 1 to 65535, not 65536", "the default is 11112"),
        ("[node]\nport = 9_223_372_036_854_775_807\n", 2,
         "port in [node] must be from 1 to 65535, not 9223372036854775807", "the default is 11112"),
        ("[node]\nmax_associations = 65\n", 2, "max_associations in [node] must be from 1 to 64, not 65", "the default is 8"),
        ("[node]\nmax_associations = 0\n", 2, "max_associations in [node] must be from 1 to 64, not 0", "the default is 8"),
        ("[node]\nmin_free_disk_mb = -1\n", 2, "min_free_disk_mb in [node] must be at least 0, not -1", "the default is 1024"),
        ("[node]\nnetwork_timeout_seconds = 3601\n", 2,
         "network_timeout_seconds in [node] must be from 1 to 3600, not 3601", "the default is 60"),
        ("[node]\nstate_dir = \"var/lib/ctperf\"\n", 2,
         "state_dir in [node] must be an absolute path, not \"var/lib/ctperf\"", "start it with '/', e.g. /var/lib/ctperf"),
        ("[node]\nresults_dir = \"\"\n", 2, "results_dir in [node] must be an absolute path, not \"\"",
         "start it with '/', e.g. /var/lib/ctperf/results"),
        ("[node]\nae_title = \"ABCDEFGHIJKLMNOPQ\"\n", 2,
         "ae_title in [node]: \"ABCDEFGHIJKLMNOPQ\" is not a valid AE title (it is 17 characters long)", aeRule),
        ("[node]\nae_title = 'CT\\1'\n", 2,
         "ae_title in [node]: \"CT\\\\1\" is not a valid AE title (it contains a backslash)", aeRule),
        ("[node]\nae_title = \"   \"\n", 2, "ae_title in [node]: \"   \" is not a valid AE title (it is only spaces)", aeRule),
        ("[node]\nae_title = \"\"\n", 2, "ae_title in [node]: \"\" is not a valid AE title (it is empty)", aeRule),
        ("[node]\nae_title = \"CT\\u0001\"\n", 2,
         "ae_title in [node]: \"CT\\u0001\" is not a valid AE title (it contains a control character)", aeRule),
        ("[node]\nae_title = \"CTPERFÜ\"\n", 2,
         "ae_title in [node]: \"CTPERFÜ\" is not a valid AE title (it contains non-ASCII characters)", aeRule),
        ("[node]\nallowed_calling_ae_titles = [\n  \"CT1\",\n  \"\",\n]\n", 4,
         "allowed_calling_ae_titles in [node]: \"\" is not a valid AE title (it is empty)", aeRule),
        ("[node]\nallowed_hosts = [\"10.0.0.1\",\n  \"10.0.0.256\"]\n", 3,
         "allowed_hosts in [node]: '10.0.0.256' is not an IPv4 address or CIDR block", hostsHint),
        ("[node]\nallowed_hosts = [\"scanner.example.org\"]\n", 2,
         "allowed_hosts in [node]: 'scanner.example.org' is not an IPv4 address or CIDR block", hostsHint),
        ("[node]\nallowed_hosts = [\"10.0.0.0/33\"]\n", 2,
         "allowed_hosts in [node]: the prefix length in '10.0.0.0/33' must be from 0 to 32", hostsHint),
        ("[node]\nallowed_hosts = [\"10.0.0.5/24\"]\n", 2,
         "allowed_hosts in [node]: '10.0.0.5/24' has address bits set after the /24 prefix",
         "write the block as 10.0.0.0/24, or 10.0.0.5/32 for one host"),
        // [detection]
        ("[detection]\nquiet_seconds = 0\n", 2, "quiet_seconds in [detection] must be from 1 to 3600, not 0",
         "the default is 20"),
        ("[detection]\nquiet_seconds = 3600.5\n", 2, "quiet_seconds in [detection] must be from 1 to 3600, not 3600.5",
         "the default is 20"),
        ("[detection]\nmax_wait_seconds = 86401\n", 2, "max_wait_seconds in [detection] must be from 1 to 86400, not 86401",
         "the default is 300"),
        ("[detection]\nmin_time_points = 2\n", 2, "min_time_points in [detection] must be from 3 to 10000, not 2",
         "the default is 10"),
        ("[detection]\nmin_time_points = 10001\n", 2, "min_time_points in [detection] must be from 3 to 10000, not 10001",
         "the default is 10"),
        ("[detection]\nmin_duration_seconds = 0\n", 2,
         "min_duration_seconds in [detection] must be greater than 0 and at most 86400, not 0", "the default is 30"),
        ("[detection]\nmin_duration_seconds = 86401\n", 2,
         "min_duration_seconds in [detection] must be greater than 0 and at most 86400, not 86401", "the default is 30"),
        // [analysis]
        // The same ranges as `ctperf analyze --tmax-threshold/--rcbf-threshold`: a value the
        // config accepted but the analysis refused would fail every job.
        ("[analysis]\ntmax_threshold_s = 0.5\n", 2, "tmax_threshold_s in [analysis] must be from 1 to 30, not 0.5",
         "the default is 6"),
        ("[analysis]\ntmax_threshold_s = 30.5\n", 2,
         "tmax_threshold_s in [analysis] must be from 1 to 30, not 30.5", "the default is 6"),
        ("[analysis]\nrcbf_threshold = 0.95\n", 2, "rcbf_threshold in [analysis] must be from 0.05 to 0.9, not 0.95",
         "the default is 0.3"),
        ("[analysis]\nrcbf_threshold = 0.04\n", 2,
         "rcbf_threshold in [analysis] must be from 0.05 to 0.9, not 0.04", "the default is 0.3"),
        ("[analysis]\ntimeout_seconds = 9.5\n", 2, "timeout_seconds in [analysis] must be from 10 to 86400, not 9.5",
         "the default is 600"),
        ("[analysis]\nmax_attempts = 11\n", 2, "max_attempts in [analysis] must be from 1 to 10, not 11", "the default is 2"),
        ("[analysis]\nworkers = 17\n", 2, "workers in [analysis] must be from 1 to 16, not 17", "the default is 1"),
        ("[analysis]\nworkers = 0\n", 2, "workers in [analysis] must be from 1 to 16, not 0", "the default is 1"),
        ("[analysis]\nctperf_path = \"bin/ctperf\"\n", 2, "ctperf_path in [analysis] must be an absolute path, not \"bin/ctperf\"",
         "start it with '/', e.g. /usr/bin/ctperf, or \"\" for the one next to ctperfd"),
        // [sending]
        ("[sending]\ncalling_ae_title = \"A_VERY_LONG_AE_TITLE\"\n", 2,
         "calling_ae_title in [sending]: \"A_VERY_LONG_AE_TITLE\" is not a valid AE title (it is 20 characters long)", aeRule),
        ("[sending]\nretry_initial_seconds = 0\n", 2, "retry_initial_seconds in [sending] must be greater than 0, not 0",
         "the default is 5"),
        ("[sending]\ngive_up_after_hours = -1\n", 2, "give_up_after_hours in [sending] must be greater than 0, not -1",
         "the default is 72"),
        ("[sending]\ntimeout_seconds = 0.5\n", 2, "timeout_seconds in [sending] must be from 1 to 3600, not 0.5",
         "the default is 30"),
        // [retention], [logging]
        ("[retention]\nkeep_days = 0\n", 2, "keep_days in [retention] must be greater than 0, not 0", "the default is 7"),
        ("[retention]\ninterval_minutes = 0\n", 2, "interval_minutes in [retention] must be greater than 0, not 0",
         "the default is 60"),
        ("[logging]\nlevel = \"verbose\"\n", 2, "level in [logging] must be \"info\" or \"debug\", not \"verbose\"",
         "\"info\" logs events, \"debug\" also each instance stored"),
        ("[logging]\nlevel = \"DEBUG\"\n", 2, "level in [logging] must be \"info\" or \"debug\", not \"DEBUG\"",
         "write it in lower case: \"debug\""),
    ]

    @Test(arguments: rangeErrors)
    func impossibleValuesNameTheirLineAndRange(text: String, line: Int, message: String, hint: String?) {
        #expect(failure(text) == ConfigError(path: Self.path, line: line, message: message, hint: hint))
    }

    static let crossFieldErrors: [(String, Int, String, String?)] = [
        ("[detection]\nmax_wait_seconds = 10\nquiet_seconds = 30\n", 3,
         "max_wait_seconds in [detection] (10) must be at least quiet_seconds (30)",
         "raise max_wait_seconds or lower quiet_seconds"),
        ("[detection]\nquiet_seconds = 30\n\nmax_wait_seconds = 10\n", 4,
         "max_wait_seconds in [detection] (10) must be at least quiet_seconds (30)",
         "raise max_wait_seconds or lower quiet_seconds"),
        ("[detection]\n\nquiet_seconds = 400\n", 3,
         "max_wait_seconds in [detection] (default 300) must be at least quiet_seconds (400)",
         "raise max_wait_seconds or lower quiet_seconds"),
        ("[sending]\nretry_max_seconds = 4\n", 2,
         "retry_max_seconds in [sending] (4) must be at least retry_initial_seconds (default 5)",
         "raise retry_max_seconds or lower retry_initial_seconds"),
        ("[sending]\nretry_max_seconds = 60\nretry_initial_seconds = 90\n", 3,
         "retry_max_seconds in [sending] (60) must be at least retry_initial_seconds (90)",
         "raise retry_max_seconds or lower retry_initial_seconds"),
    ]

    @Test(arguments: crossFieldErrors)
    func crossFieldErrorsPointAtTheLaterKey(text: String, line: Int, message: String, hint: String?) {
        #expect(failure(text) == ConfigError(path: Self.path, line: line, message: message, hint: hint))
    }

    /// A [[destination]] block with `name`, `ae_title`, `host` and `port` lines (in that order,
    /// starting at line 2), where a nil value leaves its line out.
    static func destination(name: String? = "\"pacs\"", aeTitle: String? = "\"PACS\"", host: String? = "\"10.0.0.20\"",
                            port: String? = "104") -> String {
        var text = "[[destination]]\n"
        if let name { text += "name = \(name)\n" }
        if let aeTitle { text += "ae_title = \(aeTitle)\n" }
        if let host { text += "host = \(host)\n" }
        if let port { text += "port = \(port)\n" }
        return text
    }

    static let hostHint = "write a host name like pacs.example.org or an IPv4 address like 10.0.0.20"

    static let destinationErrors: [(String, Int, String, String?)] = [
        (destination(name: nil), 1, "[[destination]] at line 1 has no name", "add name = \"pacs\" to the block"),
        (destination(aeTitle: nil), 1, "[[destination]] at line 1 has no ae_title", "add ae_title = \"PACS\" to the block"),
        ("[node]\n" + destination(host: nil), 2, "[[destination]] at line 2 has no host",
         "add host = \"pacs.example.org\" to the block"),
        (destination(port: nil), 1, "[[destination]] at line 1 has no port", "add port = 104 to the block"),
        (destination() + destination(name: "\"other\"") + destination(), 12,
         "destination name 'pacs' is used twice (first at line 2)", "give each [[destination]] its own name"),
        (destination(name: "\"my pacs\""), 2, "name \"my pacs\" in [[destination]] is not a valid destination name",
         "use 1 to 64 letters, digits, '_', '.' or '-'"),
        (destination(name: "\"\(String(repeating: "a", count: 65))\""), 2,
         "name \"\(String(repeating: "a", count: 65))\" in [[destination]] is not a valid destination name",
         "use 1 to 64 letters, digits, '_', '.' or '-'"),
        (destination(aeTitle: "\"PACS\\\\1\""), 3,
         "ae_title in [[destination]]: \"PACS\\\\1\" is not a valid AE title (it contains a backslash)", aeRule),
        (destination(host: "\"\""), 4, "host \"\" in [[destination]] is not valid: it is empty", hostHint),
        (destination(host: "\"10.0.0.300\""), 4,
         "host \"10.0.0.300\" in [[destination]] is not valid: it is not a valid IPv4 address", hostHint),
        (destination(host: "\"pacs_1.local\""), 4,
         "host \"pacs_1.local\" in [[destination]] is not valid: the part 'pacs_1' has characters other than letters, digits and '-'",
         hostHint),
        (destination(host: "\"-pacs\""), 4, "host \"-pacs\" in [[destination]] is not valid: the part '-pacs' starts or ends with '-'",
         hostHint),
        (destination(host: "\"pacs..org\""), 4, "host \"pacs..org\" in [[destination]] is not valid: it has an empty part between dots",
         hostHint),
        (destination(host: "\"::1\""), 4, "host \"::1\" in [[destination]] is not valid: IPv6 addresses are not supported", hostHint),
        (destination(port: "0"), 5, "port in [[destination]] must be from 1 to 65535, not 0", nil),
        (destination(port: "70000"), 5, "port in [[destination]] must be from 1 to 65535, not 70000", nil),
    ]

    @Test(arguments: destinationErrors)
    func destinationErrorsNameTheirLine(text: String, line: Int, message: String, hint: String?) {
        #expect(failure(text) == ConfigError(path: Self.path, line: line, message: message, hint: hint))
    }

    @Test func validDestinationHostsAreAccepted() throws {
        let text = ["pacs.example.org", "PACS-1", "localhost", "10.0.0.20", "a.b-c.d9"].enumerated().map { i, host in
            Self.destination(name: "\"d\(i)\"", host: "\"\(host)\"")
        }.joined()
        let config = try ConfigLoader.parse(text: text, path: Self.path)
        #expect(config.destinations.map(\.host) == ["pacs.example.org", "PACS-1", "localhost", "10.0.0.20", "a.b-c.d9"])
        #expect(config.destinations.map(\.name) == ["d0", "d1", "d2", "d3", "d4"])
    }

    @Test func emptyCallingAETitleAndCtperfPathMeanTheDefaults() throws {
        let config = try ConfigLoader.parse(text: "[sending]\ncalling_ae_title = \"\"\n[analysis]\nctperf_path = \"\"\n",
                                            path: Self.path)
        #expect(config.sending.callingAETitle == "")
        #expect(config.effectiveCallingAETitle == "CTPERF")
        #expect(config.analysis.ctperfPath == "")
    }
}
