/// The mapping of each table of the file onto `NodeConfiguration`, with range and cross-field
/// checks. Cross-field errors point at the later of the two keys in the file.
extension ConfigLoader {
    static func readNode(_ document: TOMLDocument, path: String) throws(ConfigError) -> NodeConfiguration.Node {
        let r = ConfigTableReader(document.table("node"), displayName: "[node]", path: path)
        var node = NodeConfiguration.Node()
        let defaults = node
        if let v = try r.string("ae_title") {
            try checkAETitle(v, key: "ae_title", r)
            node.aeTitle = v.value
        }
        if let v = try r.integer("port", default: defaults.port, allowed: .from(1, to: 65535)) { node.port = v.value }
        if let v = try r.string("state_dir") {
            try checkAbsolutePath(v, key: "state_dir", r, example: "/var/lib/ctperf")
            node.stateDir = v.value
        }
        if let v = try r.string("results_dir") {
            try checkAbsolutePath(v, key: "results_dir", r, example: "/var/lib/ctperf/results")
            node.resultsDir = v.value
        } else {
            node.resultsDir = ConfigValidation.join(node.stateDir, "results")
        }
        if let v = try r.integer("max_associations", default: defaults.maxAssociations, allowed: .from(1, to: 64)) {
            node.maxAssociations = v.value
        }
        if let v = try r.stringArray("allowed_calling_ae_titles") {
            for title in v.value { try checkAETitle(title, key: "allowed_calling_ae_titles", r) }
            node.allowedCallingAETitles = v.value.map(\.value)
        }
        if let v = try r.stringArray("allowed_hosts") {
            for host in v.value {
                if case .failure(let problem) = HostAllowList.parseEntry(host.value) {
                    throw r.error(host.line, "allowed_hosts in [node]: \(problem.message)", hint: problem.hint)
                }
            }
            node.allowedHosts = v.value.map(\.value)
        }
        if let v = try r.integer("min_free_disk_mb", default: defaults.minFreeDiskMB, allowed: .atLeast(0)) {
            node.minFreeDiskMB = v.value
        }
        if let v = try r.integer("max_image_pixels", default: defaults.maxImagePixels, allowed: .from(1, to: Double(1 << 36))) {
            node.maxImagePixels = v.value
        }
        if let v = try r.integer("network_timeout_seconds", default: defaults.networkTimeoutSeconds,
                                 allowed: .from(1, to: 3600)) {
            node.networkTimeoutSeconds = v.value
        }
        return node
    }

    static func readDetection(_ document: TOMLDocument, path: String) throws(ConfigError) -> NodeConfiguration.Detection {
        let r = ConfigTableReader(document.table("detection"), displayName: "[detection]", path: path)
        var detection = NodeConfiguration.Detection()
        let defaults = detection
        let quiet = try r.number("quiet_seconds", default: defaults.quietSeconds, allowed: .from(1, to: 3600))
        let maxWait = try r.number("max_wait_seconds", default: defaults.maxWaitSeconds, allowed: .from(1, to: 86400))
        detection.quietSeconds = quiet?.value ?? defaults.quietSeconds
        detection.maxWaitSeconds = maxWait?.value ?? defaults.maxWaitSeconds
        if detection.maxWaitSeconds < detection.quietSeconds {
            throw r.error(laterLine(quiet, maxWait),
                          "max_wait_seconds in [detection] (\(describe(maxWait, defaults.maxWaitSeconds))) must be "
                          + "at least quiet_seconds (\(describe(quiet, defaults.quietSeconds)))",
                          hint: "raise max_wait_seconds or lower quiet_seconds")
        }
        if let v = try r.integer("min_time_points", default: defaults.minTimePoints, allowed: .from(3, to: 10000)) {
            detection.minTimePoints = v.value
        }
        if let v = try r.number("min_duration_seconds", default: defaults.minDurationSeconds, allowed: .greaterThan(0, atMost: 86400)) {
            detection.minDurationSeconds = v.value
        }
        return detection
    }

    static func readAnalysis(_ document: TOMLDocument, path: String) throws(ConfigError) -> NodeConfiguration.Analysis {
        let r = ConfigTableReader(document.table("analysis"), displayName: "[analysis]", path: path)
        var analysis = NodeConfiguration.Analysis()
        let defaults = analysis
        if let v = try r.number("tmax_threshold_s", default: defaults.tmaxThresholdS, allowed: .from(1, to: 30)) {
            analysis.tmaxThresholdS = v.value
        }
        if let v = try r.number("rcbf_threshold", default: defaults.rcbfThreshold, allowed: .from(0.05, to: 0.9)) {
            analysis.rcbfThreshold = v.value
        }
        if let v = try r.number("timeout_seconds", default: defaults.timeoutSeconds, allowed: .from(10, to: 86400)) {
            analysis.timeoutSeconds = v.value
        }
        if let v = try r.integer("max_attempts", default: defaults.maxAttempts, allowed: .from(1, to: 10)) {
            analysis.maxAttempts = v.value
        }
        if let v = try r.string("ctperf_path") {
            if !v.value.isEmpty {
                try checkAbsolutePath(v, key: "ctperf_path", r, example: "/usr/bin/ctperf, or \"\" for the one next to ctperfd")
            }
            analysis.ctperfPath = v.value
        }
        if let v = try r.integer("workers", default: defaults.workers, allowed: .from(1, to: 16)) {
            analysis.workers = v.value
        }
        return analysis
    }

    static func readSending(_ document: TOMLDocument, path: String) throws(ConfigError) -> NodeConfiguration.Sending {
        let r = ConfigTableReader(document.table("sending"), displayName: "[sending]", path: path)
        var sending = NodeConfiguration.Sending()
        let defaults = sending
        if let v = try r.string("calling_ae_title") {
            if !v.value.isEmpty { try checkAETitle(v, key: "calling_ae_title", r) }
            sending.callingAETitle = v.value
        }
        let initial = try r.number("retry_initial_seconds", default: defaults.retryInitialSeconds, allowed: .greaterThan(0))
        let maximum = try r.number("retry_max_seconds", default: defaults.retryMaxSeconds, allowed: .greaterThan(0))
        sending.retryInitialSeconds = initial?.value ?? defaults.retryInitialSeconds
        sending.retryMaxSeconds = maximum?.value ?? defaults.retryMaxSeconds
        if sending.retryMaxSeconds < sending.retryInitialSeconds {
            throw r.error(laterLine(initial, maximum),
                          "retry_max_seconds in [sending] (\(describe(maximum, defaults.retryMaxSeconds))) must be "
                          + "at least retry_initial_seconds (\(describe(initial, defaults.retryInitialSeconds)))",
                          hint: "raise retry_max_seconds or lower retry_initial_seconds")
        }
        if let v = try r.number("give_up_after_hours", default: defaults.giveUpAfterHours, allowed: .greaterThan(0)) {
            sending.giveUpAfterHours = v.value
        }
        if let v = try r.number("timeout_seconds", default: defaults.timeoutSeconds, allowed: .from(1, to: 3600)) {
            sending.timeoutSeconds = v.value
        }
        return sending
    }

    static func readDestinations(_ document: TOMLDocument, path: String) throws(ConfigError) -> [NodeConfiguration.Destination] {
        var destinations: [NodeConfiguration.Destination] = []
        var nameLines: [String: Int] = [:]
        for table in document.arrayOfTables("destination") {
            let r = ConfigTableReader(table, displayName: "[[destination]]", path: path)
            func required<T>(_ key: String, _ value: Located<T>?, example: String) throws(ConfigError) -> Located<T> {
                guard let value else {
                    throw r.error(table.line, "[[destination]] at line \(table.line) has no \(key)",
                                  hint: "add \(key) = \(example) to the block")
                }
                return value
            }
            let name = try required("name", r.string("name"), example: "\"pacs\"")
            guard ConfigValidation.isDestinationName(name.value) else {
                throw r.error(name.line, "name \(ConfigValidation.quoted(name.value)) in [[destination]] is not a valid destination name",
                              hint: "use 1 to 64 letters, digits, '_', '.' or '-'")
            }
            if let first = nameLines[name.value] {
                throw r.error(name.line, "destination name '\(name.value)' is used twice (first at line \(first))",
                              hint: "give each [[destination]] its own name")
            }
            nameLines[name.value] = name.line
            let aeTitle = try required("ae_title", r.string("ae_title"), example: "\"PACS\"")
            try checkAETitle(aeTitle, key: "ae_title", r)
            let host = try required("host", r.string("host"), example: "\"pacs.example.org\"")
            if let problem = ConfigValidation.hostProblem(host.value) {
                throw r.error(host.line, "host \(ConfigValidation.quoted(host.value)) in [[destination]] is not valid: \(problem)",
                              hint: "write a host name like pacs.example.org or an IPv4 address like 10.0.0.20")
            }
            let port = try required("port", r.integer("port", default: nil, allowed: .from(1, to: 65535)), example: "104")
            let tls = try r.boolean("tls")?.value ?? false
            destinations.append(.init(name: name.value, aeTitle: aeTitle.value, host: host.value, port: port.value, tls: tls))
        }
        return destinations
    }

    static func readRetention(_ document: TOMLDocument, path: String) throws(ConfigError) -> NodeConfiguration.Retention {
        let r = ConfigTableReader(document.table("retention"), displayName: "[retention]", path: path)
        var retention = NodeConfiguration.Retention()
        let defaults = retention
        if let v = try r.number("keep_days", default: defaults.keepDays, allowed: .greaterThan(0)) {
            retention.keepDays = v.value
        }
        if let v = try r.boolean("keep_results") { retention.keepResults = v.value }
        if let v = try r.number("interval_minutes", default: defaults.intervalMinutes, allowed: .greaterThan(0)) {
            retention.intervalMinutes = v.value
        }
        return retention
    }

    static func readLogging(_ document: TOMLDocument, path: String) throws(ConfigError) -> NodeConfiguration.Logging {
        let r = ConfigTableReader(document.table("logging"), displayName: "[logging]", path: path)
        var logging = NodeConfiguration.Logging()
        if let v = try r.string("level") {
            let levels = ["info", "debug"]
            guard levels.contains(v.value) else {
                throw r.error(v.line, "level in [logging] must be \"info\" or \"debug\", not \(ConfigValidation.quoted(v.value))",
                              hint: levels.contains(v.value.lowercased())
                                  ? "write it in lower case: \"\(v.value.lowercased())\""
                                  : "\"info\" logs events, \"debug\" also each instance stored")
            }
            logging.level = v.value
        }
        return logging
    }

    // MARK: Shared checks

    private static func checkAETitle(_ title: Located<String>, key: String, _ r: ConfigTableReader) throws(ConfigError) {
        if let problem = ConfigValidation.aeTitleProblem(title.value) {
            throw r.error(title.line, "\(key) in \(r.displayName): \(ConfigValidation.quoted(title.value)) is not a valid AE title "
                          + "(\(problem))", hint: ConfigValidation.aeTitleRule)
        }
    }

    private static func checkAbsolutePath(_ path: Located<String>, key: String, _ r: ConfigTableReader,
                                          example: String) throws(ConfigError) {
        guard ConfigValidation.isAbsolutePath(path.value) else {
            throw r.error(path.line, "\(key) in \(r.displayName) must be an absolute path, not \(ConfigValidation.quoted(path.value))",
                          hint: "start it with '/', e.g. \(example)")
        }
    }

    /// The line of whichever of two keys comes later in the file (nil when both are absent).
    private static func laterLine<A, B>(_ a: Located<A>?, _ b: Located<B>?) -> Int? {
        [a?.line, b?.line].compactMap { $0 }.max()
    }

    /// A value for a cross-field message: as written, or "default N" when the key is absent.
    private static func describe(_ value: Located<Double>?, _ defaultValue: Double) -> String {
        value.map { AllowedRange.format($0.value) } ?? "default \(AllowedRange.format(defaultValue))"
    }
}
