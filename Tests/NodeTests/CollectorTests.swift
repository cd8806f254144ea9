import DICOM
import Foundation
import Phantom
import Testing
@testable import Node

/// The collector decides from tags plus time (DESIGN.md section 4): one job per complete
/// perfusion acquisition after the quiet time, none for other series, a new version when
/// images arrive after the analysis.
@Suite struct CollectorTests {
    let t0 = Date(timeIntervalSince1970: 2_000_000_000)

    @Test func mixedStudyGivesExactlyOneJobAfterTheQuietTime() throws {
        let spool = try Spool()
        defer { spool.remove() }
        let src = spool.root + "/src"
        let perfusion = try Spool.phantomFiles(.strokeLeft, in: src + "/p")
        let plain = try Spool.phantomFiles(.singlePhase, studyOf: .strokeLeft, in: src + "/plain")
        let cta = try Spool.phantomFiles(.cta, studyOf: .strokeLeft, in: src + "/cta")
        try spool.receive(perfusion + plain + cta, at: t0)
        let collector = Collector(configuration: spool.configuration(), layout: spool.layout, inbox: spool.inbox, log: spool.log)

        collector.tick(now: t0.addingTimeInterval(4))           // still within quiet_seconds (5)
        #expect(JobStore(layout: spool.layout).all(.ready).isEmpty)

        collector.tick(now: t0.addingTimeInterval(6))
        let jobs = JobStore(layout: spool.layout).all(.ready)
        #expect(jobs.count == 1)
        let job = try #require(jobs.first)
        #expect(job.inputs.count == perfusion.count)
        #expect(job.version == 1 && job.complete)
        let studies = Set(try (perfusion + plain + cta).map { try InstanceHeader.read(path: $0).studyInstanceUID })
        #expect(studies.count == 1, "the three series must share one study for this test")
        #expect(spool.lines.all.filter { $0.contains("event=not-perfusion") }.count == 2)

        collector.tick(now: t0.addingTimeInterval(60))          // nothing new: no second job
        #expect(JobStore(layout: spool.layout).all(.ready).count == 1)
    }

    @Test func canonSeriesPerTimePointIsAssembledIntoOneJob() throws {
        let spool = try Spool()
        defer { spool.remove() }
        let files = try Spool.phantomFiles(.strokeLeft, layout: .canon, in: spool.root + "/src")
        try spool.receive(files, at: t0)
        let collector = Collector(configuration: spool.configuration(), layout: spool.layout, inbox: spool.inbox, log: spool.log)
        collector.tick(now: t0.addingTimeInterval(10))
        let jobs = JobStore(layout: spool.layout).all(.ready)
        #expect(jobs.count == 1)
        #expect(jobs.first?.seriesInstanceUIDs.count == 12)
        #expect(jobs.first?.inputs.count == 36)
    }

    @Test func imagesStillArrivingKeepTheAcquisitionOpen() throws {
        let spool = try Spool()
        defer { spool.remove() }
        let files = try Spool.phantomFiles(.strokeLeft, in: spool.root + "/src").sorted()
        let collector = Collector(configuration: spool.configuration(), layout: spool.layout, inbox: spool.inbox, log: spool.log)
        try spool.receive(Array(files.prefix(20)), at: t0)
        collector.tick(now: t0.addingTimeInterval(3))
        try spool.receive(Array(files.dropFirst(20)), at: t0.addingTimeInterval(4))
        collector.tick(now: t0.addingTimeInterval(8))            // 4 s after the last image
        #expect(JobStore(layout: spool.layout).all(.ready).isEmpty)
        collector.tick(now: t0.addingTimeInterval(9.5))
        #expect(JobStore(layout: spool.layout).all(.ready).first?.inputs.count == files.count)
    }

    @Test func headersAreReadOnceTheStudyPausesOrAtHalfTheQuietTime() throws {
        let spool = try Spool()
        defer { spool.remove() }
        let files = try Spool.phantomFiles(.strokeLeft, in: spool.root + "/src").sorted()
        let collector = Collector(configuration: spool.configuration(), layout: spool.layout, inbox: spool.inbox, log: spool.log)
        try spool.receive(Array(files.prefix(10)), at: t0)
        collector.tick(now: t0.addingTimeInterval(0.5))
        #expect(collector.figures.instances == 0, "not read while images stream in")
        collector.tick(now: t0.addingTimeInterval(1.1))
        #expect(collector.figures.instances == 10)
        // A study that never pauses for a second is still read every quiet_seconds / 2 (2.5 s).
        var t = 2.0
        for f in files.dropFirst(10) {
            try spool.receive([f], at: t0.addingTimeInterval(t))
            collector.tick(now: t0.addingTimeInterval(t + 0.1))
            t += 0.2
            if t > 4.7 { break }
        }
        #expect(collector.figures.instances > 10)
    }

    @Test func incompleteAcquisitionWaitsForTheHardCap() throws {
        let spool = try Spool()
        defer { spool.remove() }
        let files = try Spool.phantomFiles(.incomplete, in: spool.root + "/src")
        try spool.receive(files, at: t0)
        let collector = Collector(configuration: spool.configuration(), layout: spool.layout, inbox: spool.inbox, log: spool.log)
        collector.tick(now: t0.addingTimeInterval(30))
        #expect(JobStore(layout: spool.layout).all(.ready).isEmpty)
        collector.tick(now: t0.addingTimeInterval(61))
        let job = try #require(JobStore(layout: spool.layout).all(.ready).first)
        #expect(!job.complete)
        #expect(spool.lines.contains("event=acquisition-incomplete-timeout"))
    }

    @Test func lateImagesReopenADoneJobAsTheNextVersion() throws {
        let spool = try Spool()
        defer { spool.remove() }
        let files = try Spool.phantomFiles(.strokeLeft, in: spool.root + "/src").sorted()
        // One slice position's last time point is held back (a straggler).
        let headers = try files.map { try InstanceHeader.read(path: $0) }
        let lastTime = headers.map { $0.frames[0].time }.max()!
        let straggler = try #require(headers.first { $0.frames[0].time == lastTime }?.path)
        let first = files.filter { $0 != straggler }
        var config = spool.configuration()
        config.detection.maxWaitSeconds = 20
        let collector = Collector(configuration: config, layout: spool.layout, inbox: spool.inbox, log: spool.log)
        try spool.receive(first, at: t0)
        collector.tick(now: t0.addingTimeInterval(25))           // incomplete, past the cap: v1
        let store = JobStore(layout: spool.layout)
        var job = try #require(store.all(.ready).first)
        #expect(job.version == 1 && job.inputs.count == files.count - 1)
        job = try store.move(job, to: .running)
        job = try store.move(job, to: .done)                      // as the worker would

        try spool.receive([straggler], at: t0.addingTimeInterval(100))
        collector.tick(now: t0.addingTimeInterval(101))
        #expect(store.all(.ready).isEmpty)
        collector.tick(now: t0.addingTimeInterval(106))
        let reopened = try #require(store.all(.ready).first)
        #expect(reopened.id == job.id && reopened.version == 2 && reopened.inputs.count == files.count && reopened.complete)
        #expect(spool.lines.contains("event=job-reopened"))
    }

    @Test func recoverRequeuesStoredInstancesAndRemovesPartialWrites() throws {
        let spool = try Spool()
        defer { spool.remove() }
        let files = try Spool.phantomFiles(.strokeLeft, in: spool.root + "/src")
        let stored = try spool.receive(files, at: t0)
        _ = spool.inbox.drain()                                   // as if the daemon died before looking
        let partial = URL(fileURLWithPath: stored[0]).deletingLastPathComponent().path + "/.x.dcm.tmp-1-2"
        FileManager.default.createFile(atPath: partial, contents: Data([1, 2, 3]))
        let collector = Collector(configuration: spool.configuration(), layout: spool.layout, inbox: spool.inbox, log: spool.log)
        collector.recover()
        #expect(!FileManager.default.fileExists(atPath: partial))
        collector.tick(now: Date().addingTimeInterval(3600))
        #expect(JobStore(layout: spool.layout).all(.ready).first?.inputs.count == files.count)
    }

    @Test func jobNamesArePredictableAndSafe() throws {
        let spool = try Spool()
        defer { spool.remove() }
        let files = try Spool.phantomFiles(.strokeLeft, in: spool.root + "/src")
        try spool.receive(files, at: t0)
        let collector = Collector(configuration: spool.configuration(), layout: spool.layout, inbox: spool.inbox, log: spool.log)
        collector.tick(now: t0.addingTimeInterval(10))
        let job = try #require(JobStore(layout: spool.layout).all(.ready).first)
        #expect(job.id.range(of: #"^20260314-\d{4}-[0-9a-f]{8}$"#, options: .regularExpression) != nil, "\(job.id)")
        #expect(job.studyFolder.hasPrefix("20260314-"))
        #expect(job.studyFolder.allSatisfy { $0.isLetter || $0.isNumber || "._-".contains($0) })
    }
}
