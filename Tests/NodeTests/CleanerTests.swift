import Foundation
import Testing
@testable import Node

/// Retention removes studies older than keep_days (spool, jobs, sent outbox, results) and keeps
/// newer ones and anything still queued.
@Suite struct CleanerTests {
    @Test func removesExpiredStudiesOnlyAndLogsIt() throws {
        let spool = try Spool()
        defer { spool.remove() }
        var c = spool.configuration()
        c.retention.keepDays = 7
        let old = spool.layout.instancePath(study: "1.1", series: "1.1.1", sop: "1.1.1.1")
        let new = spool.layout.instancePath(study: "2.2", series: "2.2.1", sop: "2.2.1.1")
        for p in [old, new] {
            try Directory.create((p as NSString).deletingLastPathComponent)
            FileManager.default.createFile(atPath: p, contents: Data([1]))
        }
        let eightDaysAgo = Date().addingTimeInterval(-8 * 86_400)
        try FileManager.default.setAttributes([.modificationDate: eightDaysAgo], ofItemAtPath: old)
        try FileManager.default.setAttributes([.modificationDate: eightDaysAgo], ofItemAtPath: (old as NSString).deletingLastPathComponent)
        let now = Date()
        let job = JobRecord(id: "j-old", version: 1, state: .ready, studyInstanceUID: "1.1", seriesInstanceUIDs: ["1.1.1"],
                            studyFolder: "old-study", inputs: [], fingerprint: "", complete: true, attempts: 1,
                            createdAt: now, updatedAt: now, error: nil, resultsPath: nil, childPID: nil, history: [])
        let store = JobStore(layout: spool.layout)
        try store.create(job)
        let cleaner = Cleaner(configuration: c, layout: spool.layout, log: spool.log)
        #expect(cleaner.clean(now: now).isEmpty, "a study with a queued job is kept")

        var done = try store.move(try #require(store.find("j-old")), to: .running)
        done = try store.move(done, to: .done)
        try Directory.create(c.node.resultsDir + "/old-study/j-old_v1")
        #expect(cleaner.clean(now: now) == ["1.1"])
        #expect(!FileManager.default.fileExists(atPath: old))
        #expect(FileManager.default.fileExists(atPath: new))
        #expect(store.find("j-old") == nil)
        #expect(!FileManager.default.fileExists(atPath: c.node.resultsDir + "/old-study"))
        #expect(spool.lines.contains("event=retention-removed study=1.1 instances=1"))
    }
}
