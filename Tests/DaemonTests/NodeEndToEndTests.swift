import DICOM
import Foundation
import Node
import Phantom
import TestSupport
import Testing

/// ctperfd end to end on loopback: storescu sends a study, ctperfd analyses it and sends the
/// Secondary Capture pages and the SR to a storescp "PACS"; the objects arrive, in the source
/// study, and pass dciodvfy. Serialized: each test runs analyses and the machine has 2 cores.
@Suite(.serialized) struct NodeEndToEndTests {
    /// Starts storescp as a PACS on a free port, storing into `dir`.
    static func storescp(_ dir: String, port: Int, ae: String = "PACS") throws -> Peer {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let p = try Peer("storescp", "storescp", ["-aet", ae, "-od", dir, "+xa", "\(port)"], logPath: dir + "/../storescp-\(port).log")
        try Poll.until(timeoutSeconds: 10, "storescp to listen") {
            (try? ExternalTool.run("echoscu", ["-aec", ae, "127.0.0.1", "\(port)"]).status) == 0
        }
        return p
    }

    @Test func aStudySentToTheNodeComesBackAsSecondaryCaptureAndSRInTheSameStudy() throws {
        let pacsPort = try FreePort.next()
        let node = try NodeHarness(destinations: [("pacs", "PACS", pacsPort)])
        defer { node.remove() }
        let pacsDir = node.root + "/pacs"
        let pacs = try Self.storescp(pacsDir, port: pacsPort)
        defer { pacs.stop() }
        try node.start()
        let (files, report) = try Studies.write(into: node.root + "/src")
        let sent = try node.send(files)
        #expect(sent.status == 0, "\(sent.combined)")

        try node.wait("the results in the PACS", seconds: 120) {
            !Outbox(layout: node.layout).all(.sent).isEmpty
        }
        let entry = try #require(Outbox(layout: node.layout).all(.sent).first)
        let arrived = DicomChecks.files(pacsDir)
        #expect(arrived.count == entry.files.count, "\(arrived)")
        var classes: [String] = []
        for f in arrived {
            #expect(try DicomChecks.value(f, "0020,000d") == report.studyInstanceUID, "\(f) is not in the source study")
            classes.append(try DicomChecks.value(f, "0008,0016"))
            let errors = try DicomChecks.dciodvfyErrors(f)
            #expect(errors.isEmpty, "\(f): \(errors)")
        }
        #expect(classes.filter { $0 == DicomChecks.secondaryCapture }.count == 5, "\(classes)")
        #expect(classes.filter { $0 == DicomChecks.enhancedSR }.count == 1, "\(classes)")

        let job = try #require(node.jobs(.done).first)
        #expect(node.jobs(.done).count == 1 && job.inputs.count == files.count)
        let results = try #require(job.resultsPath)
        for name in ["cbf.nii.gz", "tmax.nii.gz", "metrics.json", "metrics.csv", "qa_aif_vof.png"] {
            #expect(FileManager.default.fileExists(atPath: results + "/" + name), "\(name) missing in \(results)")
        }
        #expect(results.hasPrefix(node.resultsDir + "/20260314-"))
        #expect(node.log.contains("event=job-done") && node.log.contains("core_ml="))
        #expect(!node.log.contains("PHANTOM"), "the log must not carry patient names")

        // ctperf status reads the same state.
        let status = try ExternalTool.run(Built.ctperf, ["status", "--state-dir", node.stateDir, "--json"])
        #expect(status.status == 0, "\(status.combined)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        #expect(json["daemon_running"] as? Bool == true)
        #expect((json["jobs"] as? [[String: Any]])?.first?["state"] as? String == "done")

        #expect(node.stop() == 0)
        #expect(node.log.contains("event=stopped"))
    }

    @Test func mixedCanonAndCompressedStudiesGiveOneAnalysisEach() throws {
        let node = try NodeHarness()
        defer { node.remove() }
        try node.start()
        let src = node.root + "/src"
        let perfusion = try Studies.write(.strokeLeft, into: src + "/mixed-p")
        let plain = try Studies.write(.singlePhase, studyOf: .strokeLeft, into: src + "/mixed-plain")
        let cta = try Studies.write(.cta, studyOf: .strokeLeft, into: src + "/mixed-cta")
        let canon = try Studies.write(.strokeRight, layout: .canon, into: src + "/canon")
        let jpegls = try Studies.write(.smallCore, syntax: .jpegLS, into: src + "/jpegls")
        let jpeg = try Studies.write(.largeCore, syntax: .jpegLossless, into: src + "/jpeg")
        let rle = try Studies.write(.healthy, syntax: .rle, into: src + "/rle")
        let sends: [([String], String?)] = [(perfusion.files + plain.files + cta.files, nil), (canon.files, nil),
                                             (jpegls.files, "-xt"), (jpeg.files, "-xs"), (rle.files, "-xr")]
        for (files, syntax) in sends {
            let out = try node.send(files, syntax: syntax)
            #expect(out.status == 0, "\(out.combined.suffix(1500))")
        }
        try node.wait("five analyses", seconds: 300) {
            node.jobs(.done).count + node.jobs(.failed).count == 5 && node.jobs(.ready).isEmpty && node.jobs(.running).isEmpty
        }
        #expect(node.jobs(.failed).isEmpty, "\(node.jobs(.failed).map { $0.error ?? "" })")
        let done = node.jobs(.done)
        let byStudy = Dictionary(grouping: done, by: \.studyInstanceUID)
        #expect(byStudy.count == 5, "one analysis per study")
        #expect(byStudy[perfusion.report.studyInstanceUID]?.first?.inputs.count == perfusion.files.count,
                "the plain CT and the CTA of the mixed study are not analysed")
        #expect(byStudy[canon.report.studyInstanceUID]?.first?.seriesInstanceUIDs.count == 12)
        #expect(node.log.components(separatedBy: "event=not-perfusion").count - 1 == 2)
        // The stored instances keep their transfer syntax (no silent recompression).
        let stored = DicomChecks.files(node.stateDir + "/incoming/" + jpegls.report.studyInstanceUID)
        #expect(try DicomChecks.value(try #require(stored.first), "0002,0010") == TransferSyntax.jpegLSLossless)
    }
}
