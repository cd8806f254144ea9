import DICOM
import Foundation
import TestSupport
import Testing

extension NetworkTests {
    /// Many short associations leave no threads and no memory behind (DCMTK 3.6.7's DcmSCPPool
    /// leaked a thread, ~8 MiB of address space, per association).
    @Suite struct SoakTests {
        /// What this process uses now, from /proc/self.
        struct Usage {
            var residentKiB: Int
            var threads: Int
            var associationThreads: Int

            static func now() throws -> Usage {
                let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
                guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
                      let kib = Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) else {
                    throw TestFailure("no VmRSS in /proc/self/status")
                }
                let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")
                let named = tasks.filter {
                    (try? String(contentsOfFile: "/proc/self/task/\($0)/comm", encoding: .utf8))?
                        .trimmingCharacters(in: .whitespacesAndNewlines) == "ctperf-assoc"
                }
                return Usage(residentKiB: kib, threads: tasks.count, associationThreads: named.count)
            }
        }

        /// Runs `soakInThisProcess` in a fresh test process of its own, so that tests running in
        /// parallel (other targets in a full `swift test`) cannot disturb its thread and memory
        /// figures.
        @Test func threeHundredAssociationsLeaveNothingBehind() throws {
            let child = try BackgroundProcess("/proc/self/exe",
                                              ["--testing-library", "swift-testing", "--filter", "soakInThisProcess"],
                                              environment: [Self.childVariable: "1"])
            let out = try child.wait(timeoutSeconds: 300)
            let summary = out.stdout.split(separator: "\n").filter { $0.hasPrefix("soak:") || $0.contains("✘") }
            #expect(out.status == 0, "soak child failed:\n\(out.combined.suffix(4000))")
            #expect(out.stdout.contains("soak: "), "soak child did not run:\n\(out.combined.suffix(4000))")
            print(summary.joined(separator: "\n"))
        }

        static let childVariable = "CTPERF_NETWORK_SOAK_CHILD"

        /// 300 associations, each our StoreSCU sending one file to our StoreSCP (whose delegate
        /// encodes and writes it), one after the other. Only in the child process started above.
        ///
        /// Margins: every association thread must be gone (exact, counted by name); the process's
        /// thread count may exceed the start by 1 (Foundation may start a helper thread of its own
        /// meanwhile); resident memory may grow by at most 4 MiB after a 20-association warm-up
        /// (glibc's per-thread arenas and stack cache settle during the warm-up; measured growth
        /// without a leak is ~0.4 MiB). Leaking the received 64×64 dataset per association adds
        /// ~7 MiB (checked by planting such a leak), a leaked thread shows in the counts.
        @Test(.enabled(if: ProcessInfo.processInfo.environment[childVariable] != nil, "runs in a child process"))
        func soakInThisProcess() throws {
            let server = try RunningSCP()
            let study = try TestStudy.make(in: server.directory)
            let file = study.explicitFiles[0]
            let target = StoreSCUTarget(callingAETitle: "SOAK", calledAETitle: "CTPERF", host: "127.0.0.1", port: server.port)

            func associations(_ count: Int) throws {
                for _ in 0..<count {
                    let outcomes = try StoreSCU.send(files: [file], to: target)
                    guard outcomes.count == 1, outcomes[0].stored else { throw TestFailure("store failed: \(outcomes)") }
                }
                try Poll.until(timeoutSeconds: 10, "every association thread to end") {
                    try server.scp.activeAssociations == 0 && Usage.now().associationThreads == 0
                }
            }

            try associations(20)
            let before = try Usage.now()
            try associations(300)
            try Poll.until(timeoutSeconds: 10, "the thread count to return within 1 of \(before.threads)") {
                try Usage.now().threads <= before.threads + 1
            }
            let after = try Usage.now()
            let releases = server.delegate.eventKinds.filter { $0 == .released }.count
            #expect(releases == 320)
            #expect(after.associationThreads == 0)
            let growthMiB = Double(after.residentKiB - before.residentKiB) / 1024
            #expect(growthMiB < 4, "resident memory grew \(growthMiB) MiB over 300 associations")
            print("soak: 300 associations: threads \(before.threads) -> \(after.threads), resident \(before.residentKiB) -> \(after.residentKiB) KiB (\(String(format: "%+.1f", growthMiB)) MiB)")
        }
    }
}
