import DICOM
import Foundation
import Node
import Phantom
import TestSupport
import Testing

/// Who may send, when the node refuses, and what survives a crash (DESIGN.md sections 3 and 7).
@Suite(.serialized) struct NodeFaultTests {
    @Test func unknownCallingAERejectedThenWatermarkGivesA700ThenABrokenReloadKeepsTheOldConfig() throws {
        let node = try NodeHarness(extraConfig: "")
        defer { node.remove() }
        node.extraConfig = ""
        try node.writeConfig()
        // allowed_calling_ae_titles lives in [node]: rewrite the file with it.
        func config(minFreeMB: Int, broken: Bool = false) throws {
            var text = try String(contentsOfFile: node.configPath, encoding: .utf8)
            text = text.replacingOccurrences(of: #"min_free_disk_mb = \d+"#, with: "min_free_disk_mb = \(minFreeMB)", options: .regularExpression)
            if !text.contains("allowed_calling_ae_titles") {
                text = text.replacingOccurrences(of: "[node]\n", with: "[node]\nallowed_calling_ae_titles = [\"SCANNER\"]\n")
            }
            text = text.replacingOccurrences(of: "\nquiet_secnds = 3\n", with: "")
            if broken { text += "\nquiet_secnds = 3\n" }        // a typo, in the file's last table
            try text.write(toFile: node.configPath, atomically: true, encoding: .utf8)
        }
        try node.start()
        try config(minFreeMB: 0)
        kill(node.daemon!.process.processIdentifier, SIGHUP)
        try node.wait("reload", seconds: 10) { node.log.contains("event=reloaded") }

        let (files, _) = try Studies.write(.singlePhase, into: node.root + "/src")
        let intruder = try node.send([files[0]], callingAE: "INTRUDER")
        #expect(intruder.status != 0)
        #expect(intruder.combined.contains("Association Rejected"), "\(intruder.combined)")
        #expect(node.log.contains("event=association-rejected") && node.log.contains("peer=127.0.0.1"))
        #expect(node.log.contains("calling AE title 'INTRUDER' is not in node.allowed_calling_ae_titles"))
        let wrongCalled = try node.send([files[0]], callingAE: "SCANNER", calledAE: "NOTUS")
        #expect(wrongCalled.status != 0)

        let ok = try node.send([files[0]], callingAE: "SCANNER")
        #expect(ok.status == 0, "\(ok.combined)")

        // Watermark far above the free space: 0xA700, nothing kept.
        try config(minFreeMB: 100_000_000)
        kill(node.daemon!.process.processIdentifier, SIGHUP)
        try node.wait("second reload", seconds: 10) { node.log.components(separatedBy: "event=reloaded").count == 3 }
        let full = try node.send([files[1]], callingAE: "SCANNER")
        #expect(full.combined.contains("Refused: OutOfResources"), "\(full.combined)")
        let stored = DicomChecks.files(node.stateDir + "/incoming")
        #expect(stored.count == 1, "only the first instance is kept: \(stored)")
        #expect(!stored.contains { $0.contains(".tmp-") })

        // A broken file on SIGHUP: rejected, logged with file:line, the running configuration stays.
        try config(minFreeMB: 0, broken: true)
        kill(node.daemon!.process.processIdentifier, SIGHUP)
        try node.wait("rejected reload", seconds: 10) { node.log.contains("event=reload-rejected") }
        #expect(node.log.contains("quiet_secnds"))
        let stillFull = try node.send([files[1]], callingAE: "SCANNER")
        #expect(stillFull.combined.contains("Refused: OutOfResources"), "old watermark still in force")
        #expect(node.daemon!.running)

        // The fixed file is picked up by the next SIGHUP.
        try config(minFreeMB: 0)
        kill(node.daemon!.process.processIdentifier, SIGHUP)
        try node.wait("the fixed configuration", seconds: 10) { node.log.components(separatedBy: "event=reloaded").count == 4 }
        #expect(try node.send([files[1]], callingAE: "SCANNER").status == 0)
    }

    @Test func destinationDownThenBackGetsItsResults() throws {
        let pacsPort = try FreePort.next()
        let node = try NodeHarness(destinations: [("pacs", "PACS", pacsPort)])
        defer { node.remove() }
        try node.start()
        let (files, _) = try Studies.write(.strokeLeft, into: node.root + "/src")
        #expect(try node.send(files).status == 0)
        // Nothing listens on pacsPort: the send fails transiently and is retried with backoff.
        try node.wait("two failed attempts", seconds: 120) {
            (Outbox(layout: node.layout).all(.pending).first?.destinations.first?.attempts ?? 0) >= 2
        }
        let status = try ExternalTool.run(Built.ctperf, ["status", "--state-dir", node.stateDir])
        #expect(status.stdout.contains("sends pending: 1"), "\(status.stdout)")
        #expect(status.stdout.contains("last error:"), "\(status.stdout)")

        let pacsDir = node.root + "/pacs"
        let pacs = try NodeEndToEndTests.storescp(pacsDir, port: pacsPort)
        defer { pacs.stop() }
        try node.wait("delivery after the PACS is back", seconds: 60) {
            !Outbox(layout: node.layout).all(.sent).isEmpty
        }
        let entry = try #require(Outbox(layout: node.layout).all(.sent).first)
        #expect(DicomChecks.files(pacsDir).count == entry.files.count)
        #expect(entry.destinations[0].attempts >= 3)
    }

    @Test func killedMidTransferAndRestartedTheJobFinishesWithEveryAcknowledgedInstance() throws {
        let node = try NodeHarness()
        defer { node.remove() }
        // The daemon dies while writing the 20th instance: after the temp file is written, before
        // the rename and before the response (the worst moment).
        try node.start(environment: ["CTPERFD_FAULT": "receiver.before-rename@20"])
        let (files, report) = try Studies.write(.strokeLeft, into: node.root + "/src")
        let first = try node.send(files)
        #expect(first.status != 0)
        try Poll.until(timeoutSeconds: 10, "ctperfd to die at the fault point") { !node.daemon!.running }
        let acknowledged = first.combined.components(separatedBy: "Received Store Response (Success)").count - 1
        #expect(acknowledged == 19, "\(first.combined.suffix(2000))")
        let onDisk = DicomChecks.files(node.stateDir + "/incoming/" + report.studyInstanceUID).filter { $0.hasSuffix(".dcm") }
        #expect(onDisk.count == 19, "every acknowledged instance is durable, the 20th is not visible")

        try node.start()
        #expect(DicomChecks.files(node.stateDir + "/incoming").allSatisfy { !$0.contains(".tmp-") }, "partial write removed at start")
        // The modality resends the association's remaining images (here: all of them again).
        #expect(try node.send(files).status == 0)
        try node.wait("the job", seconds: 120) { node.jobs(.done).count == 1 }
        let job = try #require(node.jobs(.done).first)
        #expect(job.inputs.count == files.count && job.version == 1)
    }

    @Test func killedDuringTheAnalysisTheJobResumesAfterRestart() throws {
        // The fault point sits after the analysis, before its results go to the outbox.
        let node = try NodeHarness(destinations: [("pacs", "PACS", try FreePort.next())])
        defer { node.remove() }
        try node.start(environment: ["CTPERFD_FAULT": "worker.before-outbox"])
        let (files, _) = try Studies.write(.strokeLeft, into: node.root + "/src")
        #expect(try node.send(files).status == 0)
        try node.wait("ctperfd to die after the analysis", seconds: 120) { !node.daemon!.running }
        #expect(node.jobs(.running).count == 1)
        try node.start()
        try node.wait("the job to finish after the restart", seconds: 120) { node.jobs(.done).count == 1 }
        #expect(node.log.contains("results reused") || node.jobs(.done).first?.history.contains { $0.message.contains("reused") } == true)
        #expect(Outbox(layout: node.layout).all(.pending).count + Outbox(layout: node.layout).all(.sent).count == 1)
    }
}

/// An acquisition that never completes is tried after max_wait_seconds, fails with the analysis'
/// reason, shows in `ctperf status`, and `ctperf retry` queues it again.
@Suite(.serialized) struct NodeFailedJobTests {
    @Test func incompleteAcquisitionFailsVisiblyAndRetryRequeuesIt() throws {
        let node = try NodeHarness(extraConfig: "")
        defer { node.remove() }
        try node.start()
        let (files, _) = try Studies.write(.incomplete, into: node.root + "/src")
        #expect(try node.send(files).status == 0)
        // Not analysed at quiet_seconds (2 s): it is inconsistent; at max_wait_seconds (10 s) it is tried.
        try node.wait("the job to fail", seconds: 120) { node.jobs(.failed).count == 1 }
        let job = try #require(node.jobs(.failed).first)
        #expect(!job.complete && job.attempts == 1)
        #expect(job.error?.contains("exited with status 3") == true, "\(job.error ?? "")")
        #expect(node.log.contains("event=acquisition-incomplete-timeout"))

        let status = try ExternalTool.run(Built.ctperf, ["status", "--state-dir", node.stateDir])
        #expect(status.stdout.contains("jobs failed: 1") && status.stdout.contains("reason: ctperf analyze exited with status 3"),
                "\(status.stdout)")
        let retry = try ExternalTool.run(Built.ctperf, ["retry", job.id, "--state-dir", node.stateDir])
        #expect(retry.status == 0 && retry.stdout.contains("job \(job.id) v1 re-queued"), "\(retry.combined)")
        try node.wait("the retried job to fail again", seconds: 120) {
            node.jobs(.failed).first?.history.filter { $0.event == "failed" }.count == 2
        }
        let unknown = try ExternalTool.run(Built.ctperf, ["retry", "no-such-job", "--state-dir", node.stateDir])
        #expect(unknown.status == 4 && unknown.stderr.contains("no job 'no-such-job'"), "\(unknown.combined)")
    }
}

/// The analysis child killed with SIGKILL mid-way: the attempt fails, the job is retried, the
/// results reach the PACS once.
@Suite(.serialized) struct AnalysisKillTests {
    @Test func killingTheAnalysisChildRetriesTheJobAndDeliversOnce() throws {
        let pacsPort = try FreePort.next()
        let node = try NodeHarness(destinations: [("pacs", "PACS", pacsPort)])
        defer { node.remove() }
        let pacs = try NodeEndToEndTests.storescp(node.root + "/pacs", port: pacsPort)
        defer { pacs.stop() }
        try node.start()
        // 256x256 x 3 x 12: the analysis runs long enough to be killed.
        let (files, _) = try Studies.write(.strokeLeft, matrix: 256, into: node.root + "/src")
        #expect(try node.send(files).status == 0)
        try node.wait("the analysis to start", seconds: 60) { node.jobs(.running).first?.childPID != nil }
        let child = try #require(node.jobs(.running).first?.childPID)
        #expect(kill(child, SIGKILL) == 0)
        try node.wait("the retried job to be delivered", seconds: 180) { !Outbox(layout: node.layout).all(.sent).isEmpty }
        let job = try #require(node.jobs(.done).first)
        #expect(job.attempts == 2 && job.version == 1)
        #expect(job.history.contains { $0.event == "attempt-failed" && $0.message.contains("signal 9") })
        #expect(DicomChecks.files(node.root + "/pacs").count == 6)
    }
}

/// ctperfd killed between delivering results and recording it: the restart sends them again with
/// the same SOP Instance UIDs — a repeat, never a second, different result.
@Suite(.serialized) struct SendKillTests {
    @Test func killedAfterSendingBeforeRecordingItResendsTheSameObjects() throws {
        let pacsPort = try FreePort.next()
        let node = try NodeHarness(destinations: [("pacs", "PACS", pacsPort)])
        defer { node.remove() }
        let pacsDir = node.root + "/pacs"
        let pacs = try NodeEndToEndTests.storescp(pacsDir, port: pacsPort)
        defer { pacs.stop() }
        try node.start(environment: ["CTPERFD_FAULT": "dispatcher.before-recording"])
        let (files, _) = try Studies.write(.strokeLeft, into: node.root + "/src")
        #expect(try node.send(files).status == 0)
        try node.wait("ctperfd to die after sending", seconds: 120) { !node.daemon!.running }
        let first = Set(try DicomChecks.files(pacsDir).map { try DicomChecks.value($0, "0008,0018") })
        #expect(first.count == 6)
        #expect(Outbox(layout: node.layout).all(.pending).count == 1, "not recorded as sent")
        try node.start()
        try node.wait("the resend", seconds: 60) { !Outbox(layout: node.layout).all(.sent).isEmpty }
        let after = Set(try DicomChecks.files(pacsDir).map { try DicomChecks.value($0, "0008,0018") })
        #expect(after == first, "the resend repeats the same SOP Instance UIDs")
        #expect(node.jobs(.done).count == 1 && node.jobs(.done).first?.version == 1)
        #expect(node.log.components(separatedBy: "event=analysis-started").count - 1 == 1, "analysed once")
    }
}
