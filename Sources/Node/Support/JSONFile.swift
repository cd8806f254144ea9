import FileSystem
import Foundation

/// Codable records on disk: written temp -> fsync -> rename (DurableFile), read whole.
public enum JSONFile {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        e.dateEncodingStrategy = .iso8601
        return e
    }()
    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }()

    public static func write<T: Encodable>(_ value: T, to path: String) throws {
        let data = try encoder.encode(value)
        try DurableFile.write(to: path) { temp in
            guard FileManager.default.createFile(atPath: temp, contents: data + Data("\n".utf8),
                                                 attributes: [.posixPermissions: 0o640]) else {
                throw FileSystemError(call: "create", path: temp, errorNumber: errno)
            }
        }
    }

    /// Whole-file replacement by rename without fsync: readers never see a torn file, but the
    /// last version may be lost in a power cut. For figures that are rewritten every few seconds
    /// (status.json), where an fsync would only compete with the receiver's.
    public static func replace<T: Encodable>(_ value: T, at path: String) throws {
        let data = try encoder.encode(value)
        let temp = DurableFile.directoryOf(path) + "/." + (path.split(separator: "/").last.map(String.init) ?? "json") + ".tmp-\(getpid())"
        do {
            guard FileManager.default.createFile(atPath: temp, contents: data + Data("\n".utf8),
                                                 attributes: [.posixPermissions: 0o640]) else {
                throw FileSystemError(call: "create", path: temp, errorNumber: errno)
            }
            try PosixFile.renameFile(temp, to: path)
        } catch {
            PosixFile.removeIfPresent(temp)
            throw error
        }
    }

    public static func read<T: Decodable>(_ type: T.Type, from path: String) throws -> T {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try decoder.decode(type, from: data)
    }
}
