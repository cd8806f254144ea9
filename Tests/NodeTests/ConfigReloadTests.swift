import Testing
@testable import Node

/// ConfigLoader.restartRequired: node.port and node.state_dir need a restart (the [tls] keys: ConfigTLSTests).
@Suite struct ConfigReloadTests {
    @Test func identicalConfigurationsNeedNoRestart() {
        #expect(ConfigLoader.restartRequired(old: NodeConfiguration(), new: NodeConfiguration()) == [])
    }

    @Test func portAndStateDirNeedARestart() {
        let old = NodeConfiguration()
        var new = old
        new.node.port = 104
        #expect(ConfigLoader.restartRequired(old: old, new: new) == ["node.port"])
        new.node.stateDir = "/srv/ctperf"
        #expect(ConfigLoader.restartRequired(old: old, new: new) == ["node.port", "node.state_dir"])
        var onlyState = old
        onlyState.node.stateDir = "/srv/ctperf"
        #expect(ConfigLoader.restartRequired(old: old, new: onlyState) == ["node.state_dir"])
    }

    @Test func everythingElseAppliesLive() {
        let old = NodeConfiguration()
        var new = old
        new.node.aeTitle = "OTHER"
        new.node.resultsDir = "/srv/results"
        new.node.maxAssociations = 2
        new.node.allowedCallingAETitles = ["CT1"]
        new.node.allowedHosts = ["10.0.0.0/8"]
        new.node.minFreeDiskMB = 10
        new.node.networkTimeoutSeconds = 5
        new.detection.quietSeconds = 40
        new.analysis.workers = 2
        new.sending.retryMaxSeconds = 60
        new.destinations = [.init(name: "pacs", aeTitle: "PACS", host: "10.0.0.2", port: 104)]
        new.retention.keepDays = 1
        new.logging.level = "debug"
        new.sourcePath = "/elsewhere.toml"
        #expect(ConfigLoader.restartRequired(old: old, new: new) == [])
    }

    @Test func restartOnlyKeysAreKnownFileKeys() {
        for key in ConfigLoader.restartOnlyKeys {
            let parts = key.split(separator: ".").map(String.init)
            #expect(ConfigSchema.tables.first { $0.name == parts[0] }?.keys.contains(parts[1]) == true, "\(key)")
        }
    }
}
