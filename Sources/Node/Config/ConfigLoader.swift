#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FileSystem

/// Reads ctperfd's configuration file (TOML subset) into a validated `NodeConfiguration`.
///
/// Keys that are absent take the defaults in `NodeConfiguration`; results_dir defaults to
/// `<state_dir>/results`. The first problem found is thrown as a `ConfigError` naming the file,
/// the line and what to do. config/ctperfd.toml documents every key.
public enum ConfigLoader {
    /// Largest configuration file read, bytes (a guard against pointing --config at a device).
    static let maxFileBytes = 1 << 20

    /// Reads and validates the file at `path`.
    public static func load(path: String) throws(ConfigError) -> NodeConfiguration {
        try parse(text: readFile(path), path: path)
    }

    /// Validates configuration `text`; `path` is only used in messages and as `sourcePath`.
    public static func parse(text: String, path: String) throws(ConfigError) -> NodeConfiguration {
        let document = try TOMLParser.parse(text, path: path)
        try ConfigSchema.checkNames(document, path: path)
        var config = NodeConfiguration()
        config.sourcePath = path
        config.node = try readNode(document, path: path)
        config.detection = try readDetection(document, path: path)
        config.analysis = try readAnalysis(document, path: path)
        config.sending = try readSending(document, path: path)
        config.destinations = try readDestinations(document, path: path)
        config.tls = try readTLS(document, path: path, nodePort: config.node.port, destinations: config.destinations)
        config.retention = try readRetention(document, path: path)
        config.logging = try readLogging(document, path: path)
        return config
    }

    /// The file's text; a missing, unreadable, oversized or non-UTF-8 file is a `ConfigError`.
    static func readFile(_ path: String) throws(ConfigError) -> String {
        var bytes: [UInt8] = []
        do {
            let fd = try PosixFile.openFile(path, flags: O_RDONLY | O_CLOEXEC)
            defer { PosixFile.closeIgnoringErrors(fd) }
            try PosixFile.readChunks(fd, path: path, chunkSize: 64 * 1024) { chunk in
                bytes.append(contentsOf: chunk)
                if bytes.count > maxFileBytes { throw FileSystemError(call: "read", path: path, errorNumber: EFBIG) }
            }
        } catch let error as FileSystemError {
            throw fileError(errorNumber: error.errorNumber,
                            systemMessage: "\(error.call) failed: \(String(cString: strerror(error.errorNumber)))", path: path)
        } catch {
            throw ConfigError(path: path, line: nil, message: "cannot read the configuration file: \(error)",
                              hint: "choose another file with ctperfd --config FILE")
        }
        return try decodeUTF8(bytes, path: path)
    }

    /// The message for a configuration file that could not be opened or read (errno `errorNumber`).
    static func fileError(errorNumber: Int32, systemMessage: String, path: String) -> ConfigError {
        let other = "or choose another file with ctperfd --config FILE"
        let (message, hint): (String, String) = switch errorNumber {
        case ENOENT, ENOTDIR:
            ("configuration file not found", "create it (the example is config/ctperfd.toml in the source), \(other)")
        case EACCES, EPERM:
            ("configuration file is not readable (permission denied)",
             "make it readable by the user ctperfd runs as (chmod/chgrp), \(other)")
        case EISDIR:
            ("is a directory, not a configuration file", "give the path of the .toml file, \(other)")
        case EFBIG:
            ("configuration file is larger than \(maxFileBytes) bytes",
             "check that this is ctperfd's configuration file, \(other)")
        default:
            ("cannot read the configuration file: \(systemMessage)", "check the file, \(other)")
        }
        return ConfigError(path: path, line: nil, message: message, hint: hint)
    }

    /// UTF-8 text of `bytes`; an invalid sequence is reported with its line.
    static func decodeUTF8(_ bytes: [UInt8], path: String) throws(ConfigError) -> String {
        var text = String.UnicodeScalarView()
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var line = 1
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar == "\n" { line += 1 }
                text.append(scalar)
            case .emptyInput:
                return String(text)
            case .error:
                throw ConfigError(path: path, line: line, message: "the file is not valid UTF-8 text",
                                  hint: "save it as UTF-8 (plain ASCII is fine)")
            }
        }
    }
}
