#if canImport(Glibc)
import Glibc
#endif
import DICOM
import Foundation
import Node
import Phantom
import TestSupport
import Testing

/// Load (long: scripts/soak.sh): 8 associations at once, each sending a 600-image study
/// (256x256, 20 slices x 30 time points), the second four starting while the first are being
/// analysed. Every image is stored, every acquisition analysed; the figures are printed.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["CTPERF_SOAK"] != nil, "set CTPERF_SOAK=1 (scripts/soak.sh)"))
struct LoadSoakTests {
    /// utime + stime of a process and of its waited-for children (the analyses), s.
    static func cpuSeconds(_ pid: Int32) throws -> (own: Double, children: Double) {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        let fields = stat[stat.range(of: ")")!.upperBound...].split(separator: " ")
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        func f(_ i: Int) -> Double { Double(fields[i - 3]) ?? 0 }   // fields after "(comm)" start at #3
        return ((f(14) + f(15)) / ticks, (f(16) + f(17)) / ticks)
    }

    @Test func eightConcurrentSixHundredImageStudiesWhileAnalysing() throws {
        let node = try NodeHarness()
        defer { node.remove() }
        try node.start()
        let pid = node.daemon!.process.processIdentifier
        var studies: [(files: [String], study: String)] = []
        for (i, c) in [PhantomCase.strokeLeft, .strokeRight, .smallCore, .largeCore, .healthy, .pvt, .motion, .variableSampling].enumerated() {
            var r = PhantomRequest()
            r.phantomCase = c
            r.spec.matrix = 256
            let report = try StudyWriter.write(r, model: try PhantomOutput.model(for: r), to: node.root + "/src\(i)")
            studies.append((try FolderScanner.listFiles(root: report.dicomDirectory), report.studyInstanceUID))
        }
        let total = studies.reduce(0) { $0 + $1.files.count }
        sync()
        let cpu0 = try Self.cpuSeconds(pid)
        let start = Date()
        var senders: [Peer] = []
        for (i, s) in studies.enumerated() {
            if i == 4 {
                // The second four start once the first analysis runs.
                try node.wait("the first analysis to start", seconds: 120) { node.log.contains("event=analysis-started") }
            }
            senders.append(try Peer("storescu-\(i)", "storescu", ["-aet", "MODALITY\(i)", "-aec", node.aeTitle, "127.0.0.1", "\(node.port)"] + s.files,
                                    logPath: node.root + "/storescu-\(i).log"))
        }
        for s in senders { s.process.waitUntilExit() }
        let received = Date().timeIntervalSince(start)
        for s in senders { #expect(s.process.terminationStatus == 0, "\(s.name): \(s.log.suffix(500))") }
        let stored = studies.map { DicomChecks.files(node.stateDir + "/incoming/" + $0.study).filter { $0.hasSuffix(".dcm") }.count }
        #expect(stored.reduce(0, +) == total, "stored per study: \(stored)")
        try node.wait("eight analyses", seconds: 900) { node.jobs(.done).count + node.jobs(.failed).count == 8 }
        let finished = Date().timeIntervalSince(start)
        #expect(node.jobs(.failed).isEmpty, "\(node.jobs(.failed).map { $0.error ?? "" })")
        let cpu1 = try Self.cpuSeconds(pid)
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let peak = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }.map { String($0.dropFirst(6)).trimmingCharacters(in: .whitespaces) } ?? "?"
        print(String(format: "load: 8 associations, %d images (8 x 600, 256x256) received in %.1f s = %.0f images/s while analyses ran; all 8 analysed after %.1f s; ctperfd CPU %.1f s (receiving, detecting, sending), analysis children CPU %.1f s; ctperfd peak RSS %@",
                     total, received, Double(total) / received, finished, cpu1.own - cpu0.own, cpu1.children - cpu0.children, peak))
        node.stop()
    }
}
