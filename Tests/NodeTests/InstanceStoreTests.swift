import Foundation
import Testing
import DICOM
@testable import Node

/// Success only for a durable, well-identified instance; 0xC000 / 0xA900 / 0xA700 otherwise,
/// with nothing left on disk.
@Suite struct InstanceStoreTests {
    func incoming(study: String = "1.2.840.1", series: String = "1.2.840.1.2", sop: String = "1.2.840.1.2.3",
                  sopClass: String = "1.2.840.10008.5.1.4.1.1.2") -> IncomingInstance {
        IncomingInstance(affectedSOPClassUID: sopClass, affectedSOPInstanceUID: sop, sopClassUID: sopClass, sopInstanceUID: sop,
                         studyInstanceUID: study, seriesInstanceUID: series, callingAETitle: "SCANNER", peerAddress: "127.0.0.1",
                         associationID: 1)
    }

    func files(_ root: String) -> [String] {
        (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".dcm") || $0.contains(".tmp-") }
    }

    @Test func storesDurablyWithRestrictedPermissionsAndPostsTheArrival() throws {
        let spool = try Spool()
        defer { spool.remove() }
        let store = InstanceStore(layout: spool.layout, minFreeDiskMB: 0, inbox: spool.inbox, log: spool.log)
        let v = store.store(incoming()) { consume in try [UInt8](repeating: 7, count: 1000).withUnsafeBytes { try consume($0) } }
        #expect(v == .success)
        let path = spool.layout.instancePath(study: "1.2.840.1", series: "1.2.840.1.2", sop: "1.2.840.1.2.3")
        #expect(FileManager.default.contents(atPath: path)?.count == 1000)
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? 0
        #expect(mode & 0o777 == 0o640)
        #expect(spool.inbox.drain().map(\.relativePath) == ["incoming/1.2.840.1/1.2.840.1.2/1.2.840.1.2.3.dcm"])
        #expect(store.figures.stored == 1 && store.figures.bytes == 1000)
    }

    @Test(arguments: ["../../etc", "1.2/3", "1..2", "", "1.2.a", String(repeating: "1", count: 65)])
    func badUIDsAreRefusedWithC000(uid: String) throws {
        let spool = try Spool()
        defer { spool.remove() }
        let store = InstanceStore(layout: spool.layout, minFreeDiskMB: 0, inbox: spool.inbox, log: spool.log)
        for i in [incoming(study: uid), incoming(series: uid), incoming(sop: uid)] {
            var wrote = false
            let v = store.store(i) { _ in wrote = true }
            #expect(v.status == 0xC000 && !wrote)
        }
        #expect(files(spool.root).isEmpty)
        #expect(spool.inbox.count == 0)
    }

    @Test func datasetThatDoesNotMatchTheCommandIsRefused() throws {
        let spool = try Spool()
        defer { spool.remove() }
        let store = InstanceStore(layout: spool.layout, minFreeDiskMB: 0, inbox: spool.inbox, log: spool.log)
        var i = incoming()
        i.affectedSOPClassUID = "1.2.840.10008.5.1.4.1.1.4"        // MR class for CT data
        #expect(store.store(i) { _ in }.status == 0xA900)
        i = incoming()
        i.affectedSOPInstanceUID = "1.2.3.4.5"
        #expect(store.store(i) { _ in }.status == 0xC000)
        #expect(spool.lines.contains("event=instance-refused"))
    }

    @Test func absurdDimensionsAreRefusedBeforeAnythingIsWritten() throws {
        let spool = try Spool()
        defer { spool.remove() }
        let store = InstanceStore(layout: spool.layout, minFreeDiskMB: 0, inbox: spool.inbox, log: spool.log)
        store.update(maxImagePixels: 512 * 512 * 100)
        var i = incoming()
        i.pixelCount = 60_000 * 60_000 * 1000
        var wrote = false
        let v = store.store(i) { _ in wrote = true }
        #expect(v.status == 0xA900 && !wrote && v.comment?.contains("node.max_image_pixels") == true)
        i.pixelCount = 512 * 512 * 100
        #expect(store.store(i) { consume in try [UInt8](repeating: 0, count: 4).withUnsafeBytes { try consume($0) } } == .success)
    }

    @Test func belowTheWatermarkOrOnAWriteErrorTheAnswerIsA700AndNothingIsLeft() throws {
        let spool = try Spool()
        defer { spool.remove() }
        let store = InstanceStore(layout: spool.layout, minFreeDiskMB: Int.max / 2, inbox: spool.inbox, log: spool.log)
        let v = store.store(incoming()) { consume in try [UInt8](repeating: 1, count: 10).withUnsafeBytes { try consume($0) } }
        #expect(v.status == 0xA700 && v.comment?.contains("node.min_free_disk_mb") == true)
        store.update(minFreeDiskMB: 0)
        struct Boom: Error {}
        let w = store.store(incoming()) { consume in
            try [UInt8](repeating: 1, count: 10).withUnsafeBytes { try consume($0) }
            throw Boom()                                          // the encoder failed half-way
        }
        #expect(w.status == 0xA700)
        #expect(files(spool.root).isEmpty, "no partial file: \(files(spool.root))")
    }
}

/// Who may associate: called AE, calling AE allow-list, peer address allow-list.
@Suite struct ReceiverPolicyTests {
    @Test func calledCallingAndPeerAddressAreChecked() throws {
        let spool = try Spool()
        defer { spool.remove() }
        var c = spool.configuration()
        c.node.aeTitle = "CTPERF"
        c.node.allowedCallingAETitles = ["SCANNER"]
        c.node.allowedHosts = ["10.1.0.0/16"]
        let store = InstanceStore(layout: spool.layout, minFreeDiskMB: 0, inbox: spool.inbox, log: spool.log)
        let receiver = try NodeReceiver(configuration: c, store: store, log: spool.log)
        func ask(_ calling: String, _ called: String, _ peer: String) -> AssociationDecision {
            receiver.decide(AssociationInfo(id: 1, callingAETitle: calling, calledAETitle: called, peerAddress: peer))
        }
        #expect(ask("SCANNER", "CTPERF", "10.1.2.3") == .accept)
        #expect(ask("SCANNER ", " CTPERF", "10.1.2.3") == .accept, "DICOM pads AE titles with spaces")
        #expect(ask("SCANNER", "OTHER", "10.1.2.3") == .reject(.calledAETitleNotRecognized))
        #expect(ask("INTRUDER", "CTPERF", "10.1.2.3") == .reject(.callingAETitleNotRecognized))
        #expect(ask("SCANNER", "CTPERF", "10.2.0.1") == .reject(.noReasonGiven))
        #expect(spool.lines.contains("peer address 10.2.0.1 is not in node.allowed_hosts"))
        // A reload widens the lists.
        c.node.allowedHosts = []
        try receiver.update(c)
        #expect(ask("SCANNER", "CTPERF", "10.2.0.1") == .accept)
    }
}
