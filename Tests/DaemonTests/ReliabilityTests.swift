#if canImport(Glibc)
import Glibc
#endif
import DICOM
import Foundation
import Node
import TestSupport
import Testing

/// What a long-running node must not do: grow with every association, leave files readable by
/// everyone, or write patient names into its log.
@Suite(.serialized) struct ReliabilityTests {
    /// Resident memory (KiB), open descriptors and threads of a process, from /proc.
    struct Footprint: CustomStringConvertible {
        var rssKiB: Int
        var descriptors: Int
        var threads: Int
        var description: String { "RSS \(rssKiB) KiB, \(descriptors) descriptors, \(threads) threads" }

        static func of(_ pid: Int32) throws -> Footprint {
            let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
            func field(_ name: String) -> Int {
                status.split(separator: "\n").first { $0.hasPrefix(name + ":") }
                    .flatMap { Int($0.split(whereSeparator: { $0 == " " || $0 == "\t" })[1]) } ?? -1
            }
            let fds = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count
            return Footprint(rssKiB: field("VmRSS"), descriptors: fds, threads: field("Threads"))
        }
    }

    @Test func aThousandShortAssociationsLeaveMemoryDescriptorsAndThreadsFlat() throws {
        let node = try NodeHarness()
        defer { node.remove() }
        try node.start()
        let pid = node.daemon!.process.processIdentifier
        let target = StoreSCUTarget(callingAETitle: "SCANNER", calledAETitle: node.aeTitle, host: "127.0.0.1", port: node.port)
        // Warm-up: the first associations load libraries and grow the allocator's arenas once.
        for _ in 0..<50 { try StoreSCU.echo(target) }
        let (files, _) = try Studies.write(.singlePhase, into: node.root + "/src")
        _ = try StoreSCU.send(files: [files[0]], to: target)
        let before = try Footprint.of(pid)
        for i in 0..<1000 {
            if i % 10 == 0 {
                let outcomes = try StoreSCU.send(files: [files[i / 10 % files.count]], to: target)
                #expect(outcomes.allSatisfy { $0.stored })
            } else {
                try StoreSCU.echo(target)
            }
        }
        try node.wait("the last association to end", seconds: 10) {
            node.log.components(separatedBy: "event=association-released").count - 1 >= 1051
        }
        let after = try Footprint.of(pid)
        print("1,000 associations (900 C-ECHO, 100 C-STORE): before \(before); after \(after)")
        // Margins: DCMTK and the allocator keep a few pages of per-thread cache; 2 MiB is far below
        // the ~8 MiB per association the leaking thread pool of DCMTK 3.6.7 would cost.
        #expect(after.rssKiB - before.rssKiB < 2048, "RSS grew: \(before) -> \(after)")
        #expect(after.descriptors <= before.descriptors, "descriptors leak: \(before) -> \(after)")
        #expect(after.threads <= before.threads, "threads leak: \(before) -> \(after)")
    }

    @Test func stateFilesAreNotWorldReadableAndLogsCarryNoPatientIdentity() throws {
        let pacsPort = try FreePort.next()
        let node = try NodeHarness(destinations: [("pacs", "PACS", pacsPort)])
        defer { node.remove() }
        let pacs = try NodeEndToEndTests.storescp(node.root + "/pacs", port: pacsPort)
        defer { pacs.stop() }
        umask(0o022)   // the usual interactive umask: our modes must not depend on it
        try node.start()
        let (files, report) = try Studies.write(.strokeLeft, into: node.root + "/src")
        #expect(try node.send(files).status == 0)
        try node.wait("the results to be sent", seconds: 120) { !Outbox(layout: node.layout).all(.sent).isEmpty }
        var checked = 0
        let e = FileManager.default.enumerator(atPath: node.stateDir)
        while let rel = e?.nextObject() as? String {
            let path = node.stateDir + "/" + rel
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            let mode = Int(st.st_mode) & 0o777
            let isDirectory = (Int(st.st_mode) & Int(S_IFMT)) == Int(S_IFDIR)
            if isDirectory {
                #expect(mode == 0o750, "\(rel) is a directory with mode \(String(mode, radix: 8))")
            } else {
                #expect(mode & 0o007 == 0, "\(rel) is readable by others: \(String(mode, radix: 8))")
                #expect(mode & 0o022 == 0, "\(rel) is writable by group or others: \(String(mode, radix: 8))")
            }
            checked += 1
        }
        #expect(checked > files.count)
        // The phantom's patient: PHANTOM^STROKE LEFT, ID CTPERF-1-stroke-left.
        let patient = try DicomChecks.value(files[0], "0010,0010"), patientID = try DicomChecks.value(files[0], "0010,0020")
        #expect(!patient.isEmpty && !patientID.isEmpty)
        node.stop()
        #expect(!node.log.contains(patient) && !node.log.contains("PHANTOM"), "patient name in the log")
        #expect(!node.log.contains(patientID), "patient ID in the log")
        #expect(node.log.contains(report.studyInstanceUID), "the log identifies studies by UID")
    }
}

/// A real full disk (a small tmpfs the test mounts; needs root, as CI runs): the instances that
/// do not fit are refused with 0xA700 and leave nothing behind, the ones kept are whole, and when
/// space returns the resent study is stored and analysed.
@Suite(.serialized) struct DiskFullTests {
    @Test func fullDiskRefusesWithA700KeepsWholeFilesAndRecovers() throws {
        let node = try NodeHarness()
        defer { node.remove() }
        try FileManager.default.createDirectory(atPath: node.stateDir, withIntermediateDirectories: true)
        let mount = try ExternalTool.run("mount", ["-t", "tmpfs", "-o", "size=900k,mode=0750", "tmpfs", node.stateDir])
        try #require(mount.status == 0, "this test needs root to mount a small tmpfs: \(mount.stderr)")
        defer { _ = try? ExternalTool.run("umount", ["-l", node.stateDir]) }
        try node.start()
        // 128x128: 36 instances of ~33 KB, about 1.2 MB: more than the 900 KB file system holds.
        let (files, report) = try Studies.write(.strokeLeft, matrix: 128, into: node.root + "/src")
        // --no-halt: go on after a refused instance, as a modality's queue would.
        let first = try ExternalTool.run("storescu", ["-v", "--no-halt", "-aet", "SCANNER", "-aec", node.aeTitle,
                                                      "127.0.0.1", "\(node.port)"] + files)
        let refused = first.combined.components(separatedBy: "Refused: OutOfResources").count - 1
        let stored = first.combined.components(separatedBy: "Received Store Response (Success)").count - 1
        #expect(refused > 0 && stored > 0 && refused + stored == files.count, "\(stored) stored, \(refused) refused:\n\(first.combined.suffix(1500))")
        let study = node.stateDir + "/incoming/" + report.studyInstanceUID
        var kept = DicomChecks.files(study)
        #expect(kept.allSatisfy { !$0.contains(".tmp-") }, "no partial file: \(kept.filter { $0.contains(".tmp-") })")
        #expect(kept.count == stored, "exactly the acknowledged instances are kept")
        for f in kept {
            let h = try InstanceHeader.read(path: f)
            var out = [Float](repeating: 0, count: h.rows * h.columns)
            try out.withUnsafeMutableBufferPointer { try DicomFile(path: f).readFrame(0, slope: 1, intercept: 0, into: $0) }
        }
        #expect(node.log.contains("disk full"))
        print("disk full: 900 KB tmpfs, \(files.count) instances sent: \(stored) stored whole, \(refused) refused with 0xA700, 0 partial files")

        // Space returns; the modality resends the study.
        let grow = try ExternalTool.run("mount", ["-o", "remount,size=20m", node.stateDir])
        try #require(grow.status == 0, "\(grow.combined)")
        #expect(try node.send(files).status == 0)
        kept = DicomChecks.files(study)
        #expect(kept.count == files.count)
        try node.wait("the analysis after recovery", seconds: 120) { node.jobs(.done).count == 1 }
        #expect(node.jobs(.done).first?.inputs.count == files.count)
        node.stop()
    }
}

/// An analysis whose daemon died does not run on as an orphan.
@Suite struct OrphanTests {
    @Test func anAnalysisWhoseParentDiesStops() throws {
        let dir = TemporaryDirectory.make("ctperf-orphan")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // 256x256, 20 slices x 30: long enough (seconds) to be caught running.
        try ExternalTool.runChecked(Built.ctperf, ["phantom", "--out", dir + "/study", "--matrix", "256"])
        // A shell stands in for ctperfd: it starts the analysis with CTPERF_PARENT_PID set to itself.
        // Started with posix_spawn (Node's ChildProcess), not Foundation's Process, so that nothing
        // of the test runner's own child handling is involved: only the shell's death reaches it.
        let shell = try ChildProcess(executable: "/bin/sh", arguments: ["-c",
            "echo $$ > \(dir)/shell.pid; CTPERF_PARENT_PID=$$ \"\(Built.ctperf)\" analyze --dicom_dir \(dir)/study/DICOM --out_dir \(dir)/out --quiet > \(dir)/child.log 2>&1 & echo $! > \(dir)/child.pid; wait"],
            logPath: dir + "/shell.log")
        func pid(_ name: String) -> Int32? {
            let text = (try? String(contentsOfFile: dir + "/" + name, encoding: .utf8)) ?? ""
            return text.hasSuffix("\n") ? Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) : nil
        }
        try Poll.until(timeoutSeconds: 10, "the pids") { pid("shell.pid") != nil && pid("child.pid") != nil }
        let parent = try #require(pid("shell.pid")), child = try #require(pid("child.pid"))
        func state() -> String {
            let stat = (try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8)) ?? ""
            return stat.range(of: ") ").map { String(stat[$0.upperBound...].prefix(1)) } ?? "gone"
        }
        #expect(state() == "R" || state() == "S", "the analysis runs (state \(state()))")
        #expect(parent == shell.pid)
        // Kill once the analysis is under way (its parent watch is a thread of its own).
        try Poll.until(timeoutSeconds: 30, "the analysis to be under way") {
            let status = (try? String(contentsOfFile: "/proc/\(child)/status", encoding: .utf8)) ?? ""
            return status.split(separator: "\n").first { $0.hasPrefix("Threads:") }.map { Int($0.dropFirst(8).trimmingCharacters(in: .whitespaces)) ?? 0 } ?? 0 >= 2
        }
        shell.killAndReap()
        let killed = Date()
        try Poll.until(timeoutSeconds: 5, "the orphaned analysis to stop") { state() == "Z" || state() == "gone" }
        let childLog = (try? String(contentsOfFile: dir + "/child.log", encoding: .utf8)) ?? ""
        #expect(childLog.contains("the daemon that started this analysis is gone"), "child log: \(childLog)")
        print(String(format: "orphan: analysis stopped %.2f s after its parent was killed", Date().timeIntervalSince(killed)))
        #expect(!FileManager.default.fileExists(atPath: dir + "/out/metrics.json"), "it must not finish its results")
    }
}

/// ctperfd needs no privilege: run as `nobody` (what the unit's User=ctperf amounts to), it
/// receives, analyses and writes files owned by that user, 0640.
@Suite(.serialized) struct UnprivilegedTests {
    @Test func runsAsAnUnprivilegedUser() throws {
        try #require(getuid() == 0, "this test needs root to switch to nobody")
        let node = try NodeHarness()
        defer { node.remove() }
        try node.writeConfig()
        // The checkout may sit under a directory nobody cannot enter (mktemp -d is 0700): run
        // copies of the binaries from the node's own folder.
        let bin = node.root + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        for name in ["ctperf", "ctperfd"] { try FileManager.default.copyItem(atPath: Built.directory + "/" + name, toPath: bin + "/" + name) }
        let config = try String(contentsOfFile: node.configPath, encoding: .utf8)
            .replacingOccurrences(of: "ctperf_path = \"\(Built.ctperf)\"", with: "ctperf_path = \"\(bin)/ctperf\"")
        try config.write(toFile: node.configPath, atomically: true, encoding: .utf8)
        try ExternalTool.runChecked("chown", ["-R", "nobody:nogroup", node.root])
        chmod(node.root, 0o755)
        var parent = URL(fileURLWithPath: node.root).deletingLastPathComponent().path
        while parent != "/" {   // nobody must be able to reach node.root (the system temp directory is 1777)
            var st = stat()
            if stat(parent, &st) == 0 { try #require(Int(st.st_mode) & 0o001 != 0, "\(parent) is not traversable by others") }
            parent = URL(fileURLWithPath: parent).deletingLastPathComponent().path
        }
        let daemon = try Peer("ctperfd", "setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", bin + "/ctperfd",
                                                     "--config", node.configPath], logPath: node.root + "/nobody.log")
        defer { daemon.stop() }
        try Poll.until(timeoutSeconds: 30, "ctperfd (as nobody) to listen") {
            if !daemon.running { throw TestFailure("ctperfd exited: \(daemon.log)") }
            return daemon.log.contains("event=listening")
        }
        let (files, report) = try Studies.write(.strokeLeft, into: node.root + "/src")
        #expect(try node.send(files).status == 0)
        let jobs = JobStore(layout: node.layout)
        try Poll.until(timeoutSeconds: 120, "the analysis as nobody") { !jobs.all(.done).isEmpty || !jobs.all(.failed).isEmpty }
        #expect(jobs.all(.failed).isEmpty, "\(jobs.all(.failed).map { $0.error ?? "" }) \(daemon.log.suffix(2000))")
        let stored = DicomChecks.files(node.stateDir + "/incoming/" + report.studyInstanceUID)
        let results = try #require(JobStore(layout: node.layout).all(.done).first?.resultsPath)
        for path in [try #require(stored.first), results + "/metrics.json"] {
            var st = stat()
            #expect(stat(path, &st) == 0)
            #expect(st.st_uid == 65534, "\(path) is owned by uid \(st.st_uid)")
            #expect(Int(st.st_mode) & 0o777 == 0o640, "\(path): \(String(Int(st.st_mode) & 0o777, radix: 8))")
        }
        #expect(daemon.stop() == 0)
    }
}
