import Foundation
import TestSupport

/// What tests check on DICOM files that arrived at a peer.
enum DicomChecks {
    /// dciodvfy's error lines (warnings are not errors).
    static func dciodvfyErrors(_ path: String) throws -> [String] {
        let out = try ExternalTool.run("dciodvfy", [path])
        return out.combined.split(separator: "\n").map(String.init).filter { $0.hasPrefix("Error") }
    }

    /// One attribute as dcmdump prints it, e.g. value("0020,000d") = the StudyInstanceUID.
    static func value(_ path: String, _ tag: String) throws -> String {
        let out = try ExternalTool.runChecked("dcmdump", ["-Un", "+P", tag, "-s", path])
        guard let open = out.firstIndex(of: "["), let close = out[open...].firstIndex(of: "]") else { return "" }
        return String(out[out.index(after: open)..<close])
    }

    static let secondaryCapture = "1.2.840.10008.5.1.4.1.1.7"
    static let enhancedSR = "1.2.840.10008.5.1.4.1.1.88.22"
    static let comprehensiveSR = "1.2.840.10008.5.1.4.1.1.88.33"

    /// Regular files under a directory (recursive).
    static func files(_ dir: String) -> [String] {
        let e = FileManager.default.enumerator(atPath: dir)
        var out: [String] = []
        while let rel = e?.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir + "/" + rel, isDirectory: &isDir), !isDir.boolValue {
                out.append(dir + "/" + rel)
            }
        }
        return out.sorted()
    }
}
