import FileSystem
import Foundation

/// A results folder that appears complete or not at all: files are written into a staging
/// folder beside the final one (same file system), which is renamed into place by `commit()`.
/// A previous folder of the same name is replaced only after the new one is complete.
public struct StagedDirectory: Sendable {
    public let finalPath: String
    public let stagingPath: String

    /// Create the staging folder next to `finalPath` (its parent is created if missing).
    public init(final finalPath: String) throws {
        let trimmed = finalPath.count > 1 && finalPath.hasSuffix("/") ? String(finalPath.dropLast()) : finalPath
        self.finalPath = trimmed
        let parent = AtomicFile.directoryOf(trimmed)
        let name = trimmed.split(separator: "/").last.map(String.init) ?? trimmed
        stagingPath = parent + "/.\(name).partial-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: stagingPath, withIntermediateDirectories: false)
        } catch {
            throw OutputsError(.io, "cannot create the output folder beside \(trimmed): \(error.localizedDescription)")
        }
    }

    /// Path of a file inside the staging folder.
    public func path(_ relative: String) -> String { stagingPath + "/" + relative }

    /// Move the complete staging folder to the final name. An existing folder there is moved
    /// aside first and removed once the new one is in place.
    public func commit() throws {
        try outputsIO { try renameIntoPlace() }
    }

    private func renameIntoPlace() throws {
        var previous: String?
        if FileManager.default.fileExists(atPath: finalPath) {
            let aside = stagingPath.replacingOccurrences(of: ".partial-", with: ".previous-")
            try PosixFile.renameFile(finalPath, to: aside)
            previous = aside
        }
        do {
            try PosixFile.renameFile(stagingPath, to: finalPath)
        } catch {
            if let previous { try? PosixFile.renameFile(previous, to: finalPath) }
            throw error
        }
        if let previous { try? FileManager.default.removeItem(atPath: previous) }
    }

    /// Remove the staging folder (after a failure); the final folder is untouched.
    public func abandon() {
        try? FileManager.default.removeItem(atPath: stagingPath)
    }
}
