import Foundation
import Node
import TestSupport
import Testing

/// Orthanc (Debian package) as the hospital's PACS: it pushes a phantom study to ctperfd, and
/// the Secondary Capture pages and the SR come back into the same study and pass dciodvfy.
@Suite(.serialized) struct OrthancTests {
    final class Orthanc {
        let http: Int
        let dicom: Int
        let peer: Peer
        let dir: String

        init(dir: String, nodePort: Int) throws {
            self.dir = dir
            http = try FreePort.next()
            dicom = try FreePort.next()
            try FileManager.default.createDirectory(atPath: dir + "/db", withIntermediateDirectories: true)
            let config = """
            { "Name": "ctperf-test", "StorageDirectory": "\(dir)/db", "IndexDirectory": "\(dir)/db",
              "HttpPort": \(http), "DicomPort": \(dicom), "DicomAet": "ORTHANC", "RemoteAccessAllowed": false,
              "AuthenticationEnabled": false, "Plugins": [], "DicomScuTimeout": 30,
              "DicomModalities": { "ctperf": ["CTPERF", "127.0.0.1", \(nodePort)] } }
            """
            try config.write(toFile: dir + "/orthanc.json", atomically: true, encoding: .utf8)
            let program = ExternalTool.find("Orthanc") ?? "/usr/sbin/Orthanc"
            guard FileManager.default.isExecutableFile(atPath: program) else {
                throw TestFailure("Orthanc not found (scripts/install-deps.sh installs the orthanc package)")
            }
            peer = try Peer("orthanc", program, [dir + "/orthanc.json"], logPath: dir + "/orthanc.log")
            let http = http
            try Poll.until(timeoutSeconds: 30, "Orthanc's REST API") {
                (try? ExternalTool.run("curl", ["-sf", "http://127.0.0.1:\(http)/system"]).status) == 0
            }
        }

        func get(_ path: String) throws -> Any {
            let out = try ExternalTool.runChecked("curl", ["-sf", "http://127.0.0.1:\(http)\(path)"])
            return try JSONSerialization.jsonObject(with: Data(out.utf8))
        }

        @discardableResult
        func post(_ path: String, file: String? = nil, body: String? = nil) throws -> Any {
            var args = ["-sf", "-X", "POST", "http://127.0.0.1:\(http)\(path)"]
            if let file { args += ["--data-binary", "@" + file] }
            if let body { args += ["--data-binary", body] }
            let out = try ExternalTool.runChecked("curl", args)
            return try JSONSerialization.jsonObject(with: Data(out.utf8))
        }

        func download(_ instance: String, to path: String) throws {
            try ExternalTool.runChecked("curl", ["-sf", "-o", path, "http://127.0.0.1:\(http)/instances/\(instance)/file"])
        }
    }

    @Test func orthancPushesAStudyAndGetsSecondaryCaptureAndSRBack() throws {
        let node = try NodeHarness()
        defer { node.remove() }
        let orthanc = try Orthanc(dir: node.root + "/orthanc", nodePort: node.port)
        defer { orthanc.peer.stop() }
        node.destinations = [("orthanc", "ORTHANC", orthanc.dicom)]
        try node.start()

        let (files, report) = try Studies.write(.strokeLeft, into: node.root + "/src")
        var studyID = ""
        for f in files {
            let r = try #require(try orthanc.post("/instances", file: f) as? [String: Any])
            studyID = try #require(r["ParentStudy"] as? String)
        }
        let before = try #require(try orthanc.get("/studies/\(studyID)/instances") as? [[String: Any]])
        #expect(before.count == files.count)

        // Orthanc pushes the study to ctperfd (as an auto-routing rule would).
        try orthanc.post("/modalities/ctperf/store", body: studyID)

        try node.wait("SC and SR back in Orthanc", seconds: 180) {
            ((try? orthanc.get("/studies/\(studyID)/instances") as? [[String: Any]])?.count ?? 0) >= files.count + 6
        }
        let after = try #require(try orthanc.get("/studies/\(studyID)/instances") as? [[String: Any]])
        let ours = after.filter { instance in !before.contains { ($0["ID"] as? String) == (instance["ID"] as? String) } }
        #expect(ours.count == 6, "5 Secondary Capture pages and 1 SR")
        var classes: [String] = []
        for (i, instance) in ours.enumerated() {
            let id = try #require(instance["ID"] as? String)
            let path = node.root + "/orthanc-out-\(i).dcm"
            try orthanc.download(id, to: path)
            classes.append(try DicomChecks.value(path, "0008,0016"))
            #expect(try DicomChecks.value(path, "0020,000d") == report.studyInstanceUID)
            let errors = try DicomChecks.dciodvfyErrors(path)
            #expect(errors.isEmpty, "\(errors)")
        }
        #expect(classes.filter { $0 == DicomChecks.secondaryCapture }.count == 5)
        #expect(classes.filter { $0 == DicomChecks.enhancedSR }.count == 1)
        #expect(node.log.contains("calling_ae=ORTHANC"))
    }
}
