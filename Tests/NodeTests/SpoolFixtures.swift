import DICOM
import Foundation
import Phantom
import TestSupport
@testable import Node

/// Small phantom studies placed into a temporary state directory the way the receiver stores
/// them (incoming/<study>/<series>/<sop>.dcm), with arrivals posted to an inbox.
struct Spool {
    let root: String
    let layout: StateLayout
    let inbox = ArrivalInbox()
    let lines = LogLines()
    var log: Log { Log(level: .debug) { [lines] in lines.append($0) } }

    init() throws {
        root = TemporaryDirectory.make("ctperf-node")
        layout = StateLayout(root: root + "/state")
        try layout.create()
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }

    /// A configuration pointing at this spool (results under it) with short timers.
    func configuration() -> NodeConfiguration {
        var c = NodeConfiguration()
        c.node.stateDir = layout.root
        c.node.resultsDir = root + "/results"
        c.detection.quietSeconds = 5
        c.detection.maxWaitSeconds = 60
        c.node.minFreeDiskMB = 0
        return c
    }

    /// Writes a small phantom (64x64, 3 slices, 12 frames at 3 s) and returns its files.
    static func phantomFiles(_ c: PhantomCase, layout: StudyLayout = .siemens, studyOf: PhantomCase? = nil,
                             in dir: String) throws -> [String] {
        var r = PhantomRequest()
        r.phantomCase = c
        r.layout = layout
        r.studyOf = studyOf
        r.spec.matrix = 64
        r.spec.slices = 3
        r.spec.frames = 12
        r.spec.intervalS = 3
        let report = try StudyWriter.write(r, model: try PhantomOutput.model(for: r), to: dir)
        return try FolderScanner.listFiles(root: report.dicomDirectory)
    }

    /// Copies files into incoming/ as the receiver would and posts their arrival at `at`.
    @discardableResult
    func receive(_ files: [String], at: Date) throws -> [String] {
        var stored: [String] = []
        for f in files {
            let h = try InstanceHeader.read(path: f)
            let path = layout.instancePath(study: h.studyInstanceUID, series: h.seriesInstanceUID, sop: h.sopInstanceUID)
            try Directory.create(URL(fileURLWithPath: path).deletingLastPathComponent().path)
            try? FileManager.default.removeItem(atPath: path)
            try FileManager.default.copyItem(atPath: f, toPath: path)
            let rel = String(path.dropFirst(layout.root.count + 1))
            inbox.post(Arrival(relativePath: rel, studyInstanceUID: h.studyInstanceUID, at: at))
            stored.append(path)
        }
        return stored
    }
}

/// Log lines captured by a test.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ s: String) { lines.withLock { $0.append(s) } }
    var all: [String] { lines.withLock { $0 } }
    func contains(_ s: String) -> Bool { all.contains { $0.contains(s) } }
}

import Synchronization
