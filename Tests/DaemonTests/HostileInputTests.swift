import DICOM
import Foundation
import Node
import TestSupport
import Testing

/// Broken and hostile input, each with a clear log line and DIMSE status; the daemon stays up
/// and a good study sent afterwards is analysed as usual.
@Suite(.serialized) struct HostileInputTests {
    /// A copy of `file` changed by dcmodify (`-nb`: no backup; `-i` inserts or overwrites, `-e` erases).
    static func modified(_ file: String, _ name: String, in dir: String, _ args: [String]) throws -> String {
        let out = dir + "/" + name + ".dcm"
        try? FileManager.default.removeItem(atPath: out)
        try FileManager.default.copyItem(atPath: file, toPath: out)
        try ExternalTool.runChecked("dcmodify", ["-nb", "-ie"] + args + [out])
        return out
    }

    @Test func brokenDatasetsAreRefusedWithAReasonAndNothingElseIsAffected() throws {
        let node = try NodeHarness()
        defer { node.remove() }
        try node.start()
        let pid = node.daemon!.process.processIdentifier
        let dir = node.root + "/hostile"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let plain = try Studies.write(.singlePhase, into: node.root + "/plain").files
        let cases: [(name: String, args: [String], status: String, log: String)] = [
            ("no-study-uid", ["-e", "(0020,000d)"], "Refused", "dataset has no StudyInstanceUID"),
            ("path-in-series-uid", ["-m", "(0020,000e)=../../etc"], "Error: CannotUnderstand", "SeriesInstanceUID is not a UID"),
            ("absurd-dimensions", ["-m", "(0028,0010)=60000", "-m", "(0028,0011)=60000", "-i", "(0028,0008)=1000"],
             "Refused", "exceeds node.max_image_pixels"),
        ]
        for (i, c) in cases.enumerated() {
            let file = try Self.modified(plain[i], c.name, in: dir, c.args)
            let out = try ExternalTool.run("storescu", ["-v", "-aet", "SCANNER", "-aec", node.aeTitle, "127.0.0.1", "\(node.port)", file])
            #expect(!out.combined.contains("Received Store Response (Success)"), "\(c.name) was accepted:\n\(out.combined)")
            try node.wait("the log line for \(c.name)", seconds: 10) { node.log.contains(c.log) }
            #expect(node.daemon!.running)
        }
        #expect(node.log.components(separatedBy: "event=instance-refused").count - 1 == cases.count)

        // Wrong SOP class for the data: CT pixels labelled MR Image Storage (command and dataset
        // agree, so it is kept) — stored, logged as not perfusion, never analysed.
        let mr = try Self.modified(plain[3 % plain.count], "ct-labelled-mr", in: dir, ["-m", "(0008,0016)=1.2.840.10008.5.1.4.1.1.4"])
        #expect(try ExternalTool.run("storescu", ["-aet", "SCANNER", "-aec", node.aeTitle, "127.0.0.1", "\(node.port)", mr]).status == 0)

        // Not DICOM at all on the port: an HTTP probe and random bytes.
        try RawConnection.send(Data("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8), toPort: node.port)
        var rng = SystemRandomNumberGenerator()
        try RawConnection.send(Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &rng) }), toPort: node.port)
        try node.wait("the probes to be logged", seconds: 10) { node.log.components(separatedBy: "event=network-failure").count - 1 >= 2 }

        // A series whose matrix changes half-way: the odd instance is set aside with a reason.
        let good = try Studies.write(.strokeLeft, into: node.root + "/good")
        var perfusion = good.files
        let odd = try Self.modified(perfusion.removeLast(), "matrix-changes", in: dir, ["-m", "(0028,0010)=32", "-m", "(0028,0011)=32"])
        #expect(try node.send(perfusion + [odd]).status == 0)
        try node.wait("the odd instance to be set aside", seconds: 30) { node.log.contains("event=instance-excluded") }
        #expect(node.log.contains("matrix 32x32"), "the reason names the matrix")
        // Everything else still works: resending the good instance completes the acquisition.
        #expect(try node.send([good.files.last!]).status == 0)
        try node.wait("the good study's analysis", seconds: 120) { node.jobs(.done).contains { $0.studyInstanceUID == good.report.studyInstanceUID } }
        #expect(node.daemon!.running && node.daemon!.process.processIdentifier == pid)
        #expect(node.jobs(.done).count == 1, "the plain CT and the MR-labelled image are not analysed")
    }
}
