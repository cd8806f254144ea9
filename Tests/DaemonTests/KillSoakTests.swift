#if canImport(Glibc)
import Glibc
#endif
import DICOM
import Foundation
import Node
import Phantom
import TestSupport
import Testing

/// The kill campaign (long: run with scripts/soak.sh, i.e. CTPERF_SOAK=1): ctperfd is killed with
/// SIGKILL 30 times at seeded random moments — 24 rounds that kill during a four-study transfer
/// (those that catch the transfer already finished are counted apart), 6 while the studies are
/// detected, analysed and delivered. After each kill: every instance that was answered Success is on disk, byte for
/// byte the dataset that was sent, and no half-written file is visible. At the end: every
/// acquisition analysed exactly once (one version, one result), every result in the PACS once.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["CTPERF_SOAK"] != nil, "set CTPERF_SOAK=1 (scripts/soak.sh)"))
struct KillSoakTests {
    /// storescu -v output: the files answered Success.
    static func acknowledged(_ output: String) -> [String] {
        var result: [String] = []
        var current: String?
        for line in output.split(separator: "\n") {
            if let r = line.range(of: "Sending file: ") { current = String(line[r.upperBound...]) }
            if line.contains("Received Store Response (Success)"), let c = current { result.append(c); current = nil }
        }
        return result
    }

    @Test func thirtySigkillsLoseNothingAndAnalyseEachAcquisitionOnce() throws {
        let pacsPort = try FreePort.next()
        let node = try NodeHarness(destinations: [("pacs", "PACS", pacsPort)])
        node.maxWaitSeconds = 3600          // an interrupted transfer is completed by the resend, never tried early
        defer { node.remove() }
        let pacs = try NodeEndToEndTests.storescp(node.root + "/pacs", port: pacsPort)
        defer { pacs.stop() }
        var studies: [(files: [String], report: PhantomStudyReport)] = []
        for (i, c) in [PhantomCase.strokeLeft, .strokeRight, .smallCore, .largeCore].enumerated() {
            studies.append(try Studies.write(c, matrix: 256, frames: 12, into: node.root + "/src\(i)"))
        }
        let all = studies.flatMap(\.files)
        var sourceBySOP: [String: String] = [:]
        for f in all { sourceBySOP[try InstanceHeader.read(path: f).sopInstanceUID] = f }
        var acked = Set<String>()
        var rng = SeededRandom(seed: 5)
        var killsDuringTransfer = 0, killsAfter = 0, lost = 0, partialVisible = 0

        for round in 0..<30 {
            try node.start()
            // Rounds 0-23: the modality (re)sends all four studies, in a seeded order, and the daemon
            // dies mid-transfer (a resend overwrites what was kept, so kills also hit overwrites).
            // Rounds 24-29: nothing is sent; the daemon dies while detecting, analysing or sending.
            let pending = round < 24 ? all.shuffled(using: &rng) : []
            var sender: Peer?
            if !pending.isEmpty {
                sender = try Peer("storescu", "storescu", ["-v", "-aet", "SCANNER", "-aec", node.aeTitle, "127.0.0.1", "\(node.port)"] + pending,
                                  logPath: node.root + "/storescu-\(round).log")
            }
            // A random moment: during the transfer while files remain, later during detection,
            // analysis and sending (seeded, so a failure can be replayed).
            let delay = pending.isEmpty ? Double.random(in: 0...6, using: &rng) : Double.random(in: 0.02...0.2, using: &rng)
            usleep(UInt32(delay * 1_000_000))
            node.kill9()
            if let sender {
                sender.process.waitUntilExit()
                let got = Self.acknowledged(sender.log)
                acked.formUnion(got)
                if got.count < pending.count { killsDuringTransfer += 1 } else { killsAfter += 1 }
            } else {
                killsAfter += 1
            }
            // Every acknowledged instance is on disk, byte for byte; nothing partial is visible.
            for f in acked {
                let h = try InstanceHeader.read(path: f)
                let stored = node.layout.instancePath(study: h.studyInstanceUID, series: h.seriesInstanceUID, sop: h.sopInstanceUID)
                let same = (try? datasetBytes(of: stored)) == (try datasetBytes(of: f))
                if !same { lost += 1 }
                #expect(same, "round \(round): \(stored) is missing or differs from what was sent")
            }
            for f in DicomChecks.files(node.stateDir + "/incoming") where f.hasSuffix(".dcm") {
                let readable = (try? InstanceHeader.read(path: f)) != nil
                if !readable { partialVisible += 1 }
                #expect(readable, "round \(round): \(f) is visible but unreadable")
            }
        }
        // Last start: resend what was never acknowledged, then let everything finish.
        try node.start()
        let rest = all.filter { !acked.contains($0) }
        if !rest.isEmpty { #expect(try node.send(rest).status == 0) }
        try node.wait("four analyses delivered", seconds: 300) {
            Outbox(layout: node.layout).all(.sent).count == 4 && node.jobs(.ready).isEmpty && node.jobs(.running).isEmpty
        }
        let done = node.jobs(.done)
        #expect(done.count == 4 && node.jobs(.failed).isEmpty)
        #expect(done.allSatisfy { $0.version == 1 }, "one version per acquisition: \(done.map(\.versionName))")
        #expect(Set(done.map(\.studyInstanceUID)) == Set(studies.map(\.report.studyInstanceUID)))
        for job in done {
            #expect(job.inputs.count == 36)
            // (The phantom's four studies share one accession number, hence one study folder.)
            let versions = Directory.list(node.resultsDir + "/" + job.studyFolder).filter { $0.hasPrefix(job.id) }
            #expect(versions == [job.versionName], "exactly one result folder: \(versions)")
        }
        // In the PACS: 6 objects per study (a resend repeats the same SOP Instance UIDs).
        let arrived = DicomChecks.files(node.root + "/pacs")
        #expect(arrived.count == 24, "\(arrived.count) objects in the PACS")
        #expect(killsDuringTransfer >= 20, "at least 20 kills must hit a transfer")
        print("kill soak: 30 SIGKILLs (\(killsDuringTransfer) during a transfer, \(killsAfter) during detection/analysis/sending), \(acked.count) instances acknowledged before the last start, \(lost) lost or changed, \(partialVisible) unreadable files visible; 4 acquisitions analysed once each; \(arrived.count) results in the PACS")
        node.stop()
    }
}
