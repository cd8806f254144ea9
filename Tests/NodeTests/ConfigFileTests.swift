#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import TestSupport
@testable import Node

/// ConfigLoader.load(path:): reading the file, and how a ConfigError prints.
@Suite struct ConfigFileTests {
    private func loadFailure(_ path: String) -> ConfigError? {
        do {
            _ = try ConfigLoader.load(path: path)
            return nil
        } catch {
            return error
        }
    }

    @Test func descriptionIsPathLineMessageAndHint() {
        #expect(ConfigError(path: "/etc/ctperf/ctperfd.toml", line: 12, message: "unknown key 'aetitle' in [node]",
                            hint: "did you mean 'ae_title'?").description
                == "/etc/ctperf/ctperfd.toml:12: unknown key 'aetitle' in [node] — did you mean 'ae_title'?")
        #expect(ConfigError(path: "/etc/ctperf/ctperfd.toml", line: 3, message: "string is not closed").description
                == "/etc/ctperf/ctperfd.toml:3: string is not closed")
        #expect(ConfigError(path: "/x.toml", line: nil, message: "configuration file not found", hint: "create it").description
                == "/x.toml: configuration file not found — create it")
        #expect(ConfigError(path: "", line: nil, message: "bad entry").description == "bad entry")
    }

    @Test func loadReadsTheFileAndRecordsItsPath() throws {
        try TemporaryDirectory.with { dir in
            let path = "\(dir)/ctperfd.toml"
            try "[node]\nport = 2104\n".write(toFile: path, atomically: true, encoding: .utf8)
            let config = try ConfigLoader.load(path: path)
            #expect(config.node.port == 2104)
            #expect(config.sourcePath == path)
        }
    }

    @Test func errorsOfALoadedFileNameItsPath() throws {
        try TemporaryDirectory.with { dir in
            let path = "\(dir)/ctperfd.toml"
            try "[node]\nport = 0\n".write(toFile: path, atomically: true, encoding: .utf8)
            #expect(loadFailure(path)?.description == "\(path):2: port in [node] must be from 1 to 65535, not 0 — the default is 11112")
        }
    }

    @Test func missingFileSaysHowToChooseAnother() throws {
        let path = "/nonexistent-ctperf/ctperfd.toml"
        #expect(loadFailure(path) == ConfigError(
            path: path, line: nil, message: "configuration file not found",
            hint: "create it (the example is config/ctperfd.toml in the source), or choose another file with ctperfd --config FILE"))
    }

    @Test func aDirectoryIsNotAConfigurationFile() throws {
        try TemporaryDirectory.with { dir in
            #expect(loadFailure(dir) == ConfigError(
                path: dir, line: nil, message: "is a directory, not a configuration file",
                hint: "give the path of the .toml file, or choose another file with ctperfd --config FILE"))
        }
    }

    /// Root reads any file, so the permission case is tested on the errno mapping as well.
    @Test func permissionDeniedSaysWhatToDo() {
        #expect(ConfigLoader.fileError(errorNumber: EACCES, systemMessage: "open failed: Permission denied", path: "/p.toml")
                == ConfigError(path: "/p.toml", line: nil, message: "configuration file is not readable (permission denied)",
                               hint: "make it readable by the user ctperfd runs as (chmod/chgrp), "
                                   + "or choose another file with ctperfd --config FILE"))
    }

    @Test(.enabled(if: getuid() != 0, "root can read a mode-000 file"))
    func unreadableFileIsReportedAsPermissionDenied() throws {
        try TemporaryDirectory.with { dir in
            let path = "\(dir)/ctperfd.toml"
            try "[node]\n".write(toFile: path, atomically: true, encoding: .utf8)
            chmod(path, 0)
            #expect(loadFailure(path)?.message == "configuration file is not readable (permission denied)")
        }
    }

    @Test func invalidUTF8IsReportedWithItsLine() throws {
        try TemporaryDirectory.with { dir in
            let path = "\(dir)/ctperfd.toml"
            let bytes: [UInt8] = Array("[node]\n# caf".utf8) + [0xE9] + Array("\nport = 1\n".utf8)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            #expect(loadFailure(path) == ConfigError(path: path, line: 2, message: "the file is not valid UTF-8 text",
                                                     hint: "save it as UTF-8 (plain ASCII is fine)"))
        }
    }
}
