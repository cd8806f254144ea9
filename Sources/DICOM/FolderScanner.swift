import Foundation

/// A file that was not used, and why (shown by `ctperf inspect`).
public struct SkippedFile: Sendable, Codable, Equatable {
    public var path: String
    public var reason: String
    public init(path: String, reason: String) { self.path = path; self.reason = reason }
}

/// The headers of every readable DICOM instance under a folder, and every file skipped.
public struct ScanResult: Sendable {
    public var root: String
    public var filesSeen: Int
    public var instances: [InstanceHeader]
    public var skipped: [SkippedFile]
}

/// Reads every file under a folder (recursively, any names, any order) as DICOM headers.
public enum FolderScanner {
    /// All regular files under `root` (following no symlinked directories), sorted by path so
    /// that results do not depend on the file system's order.
    public static func listFiles(root: String) throws -> [String] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDir) else {
            throw DICOMError(.unreadable, "\(root): no such file or directory")
        }
        guard isDir.boolValue else { return [root] }
        guard let e = FileManager.default.enumerator(at: URL(fileURLWithPath: root),
                                                     includingPropertiesForKeys: [.isRegularFileKey],
                                                     options: []) else {
            throw DICOMError(.unreadable, "\(root): cannot list directory")
        }
        var files: [String] = []
        for case let url as URL in e {
            let v = try? url.resourceValues(forKeys: [.isRegularFileKey])
            if v?.isRegularFile == true { files.append(url.path) }
        }
        return files.sorted()
    }

    /// Scan a folder: headers of all DICOM instances, reasons for all other files.
    public static func scan(root: String, threads: Int = defaultThreadCount()) throws -> ScanResult {
        let files = try listFiles(root: root)
        DicomFile.initializeCodecs()
        let outcomes: [Result<InstanceHeader, DICOMError>] = parallelMap(files.count, threads: threads) { i in
            do {
                return .success(try InstanceHeader.read(path: files[i]))
            } catch let e as DICOMError {
                return .failure(e)
            } catch {
                return .failure(DICOMError(.unreadable, "\(error)"))
            }
        }
        var instances: [InstanceHeader] = []
        var skipped: [SkippedFile] = []
        for (path, outcome) in zip(files, outcomes) {
            switch outcome {
            case .success(let h): instances.append(h)
            case .failure(let e): skipped.append(SkippedFile(path: path, reason: e.message))
            }
        }
        return ScanResult(root: root, filesSeen: files.count, instances: instances, skipped: skipped)
    }
}
