import DICOM
import Foundation
import TestSupport
import Testing

extension NetworkTests {
    /// DCMTK's storescu and echoscu against our StoreSCP: what arrives, and what is refused.
    @Suite struct ReceiveTests {
        /// storescu proposes a compressed transfer syntax only when told which (-xt, -xu, -xr, -xs;
        /// JPEG Lossless Process 14, .57, only with a configuration file), so each compressed file
        /// goes in an association of its own, and the .57 one with our StoreSCU, which proposes each
        /// file's own transfer syntax.
        @Test func filesArriveAsSentInEveryTransferSyntax() throws {
            let server = try RunningSCP()
            let study = try TestStudy.make(in: server.directory)
            let sent = study.allFiles
            let out = try server.storescu(study.explicitFiles, requiredContextsOnly: true)
            #expect(out.status == 0, "storescu: \(out.combined)")
            for (syntax, file) in study.compressedFiles.sorted(by: { $0.key < $1.key }) {
                if syntax == TransferSyntax.jpegLossless57 {
                    let outcomes = try StoreSCU.send(files: [file], to: StoreSCUTarget(
                        callingAETitle: "STORESCU", calledAETitle: "CTPERF", host: "127.0.0.1", port: server.port))
                    #expect(outcomes.map(\.status) == [0])
                } else {
                    let option = [TransferSyntax.jpegLSLossless: "-xt", TransferSyntax.jpegLSNearLossless: "-xu",
                                  TransferSyntax.rle: "-xr", TransferSyntax.jpegLossless70: "-xs"][syntax]!
                    let out = try server.storescu([file], requiredContextsOnly: true, options: [option])
                    #expect(out.status == 0, "storescu \(TransferSyntax.name(syntax)): \(out.combined)")
                }
            }
            let associations = 1 + study.compressedFiles.count
            try Poll.until(timeoutSeconds: 10, "\(associations) associations to be released") {
                server.delegate.eventKinds.filter { $0 == .released }.count == associations
            }

            let stored = server.delegate.stored
            #expect(stored.count == sent.count)
            for source in sent {
                let uid = try #require(sopInstanceUID(of: source))
                let record = try #require(stored.first { $0.sopInstanceUID == uid }, "\(source) did not arrive")
                let sourceSyntax = try DicomFile(path: source).transferSyntaxUID
                // The transfer syntax is kept: compressed data stays compressed.
                #expect(record.transferSyntaxUID == sourceSyntax)
                #expect(try DicomFile(path: record.path).transferSyntaxUID == sourceSyntax)
                #expect(record.affectedSOPInstanceUID == uid)
                #expect(record.sopClassUID == SOPClass.ctImage && record.modality == "CT")
                #expect(!record.studyInstanceUID.isEmpty && !record.seriesInstanceUID.isEmpty)
                #expect(record.association.callingAETitle == "STORESCU" && record.association.calledAETitle == "CTPERF")
                #expect(record.association.peerAddress == "127.0.0.1")
                // dcmdump reads the file; the meta header names the sender and the syntax.
                let dump = try ExternalTool.run("dcmdump", [record.path])
                #expect(dump.status == 0, "dcmdump \(record.path): \(dump.combined)")
                #expect(dump.stdout.contains("(0002,0016) AE [STORESCU]"), "\(dump.stdout.prefix(2000))")
                #expect(dump.stdout.contains("(0002,0003) UI [\(uid)]"), "\(dump.stdout.prefix(2000))")
                // The dataset (pixel data included, still encapsulated) is byte for byte what was sent.
                #expect(try datasetBytes(of: record.path) == datasetBytes(of: source), "\(source): dataset differs")
                // And it decodes to the same pixels.
                #expect(try DicomFile(path: record.path).pixelBytes() == DicomFile(path: source).pixelBytes())
            }
        }

        @Test func echoscuIsAnsweredAndReported() throws {
            let server = try RunningSCP()
            let out = try ExternalTool.run("echoscu", ["-aet", "MONITOR", "-aec", "CTPERF", "127.0.0.1", String(server.port)])
            #expect(out.status == 0, "echoscu: \(out.combined)")
            try server.waitForEvent("the echo association to be released") { $0 == .released }
            let events = server.delegate.events
            #expect(events.map(\.0) == [.accepted, .echo, .released])
            #expect(events.allSatisfy { $0.1?.callingAETitle == "MONITOR" && $0.1?.id == 1 })
        }

        @Test(arguments: [AssociationRejection.callingAETitleNotRecognized, .calledAETitleNotRecognized])
        func delegateRejectionFailsStorescu(reason: AssociationRejection) throws {
            let server = try RunningSCP { delegate in
                delegate.decide { info in
                    switch reason {
                    case .callingAETitleNotRecognized: return info.callingAETitle == "ALLOWED" ? .accept : .reject(reason)
                    default: return info.calledAETitle == "CTPERF" ? .accept : .reject(reason)
                    }
                }
            }
            let study = try TestStudy.make(in: server.directory)
            let calling = reason == .callingAETitleNotRecognized ? "INTRUDER" : "ALLOWED"
            let called = reason == .calledAETitleNotRecognized ? "SOMEONE" : "CTPERF"
            let out = try server.storescu([study.explicitFiles[0]], calling: calling, called: called)
            #expect(out.status != 0)
            let expectedText = reason == .callingAETitleNotRecognized ? "Calling AE Title Not Recognized" : "Called AE Title Not Recognized"
            #expect(out.combined.contains(expectedText), "storescu: \(out.combined)")
            try server.waitForEvent("the rejection event") { $0 == .rejected(reason) }
            #expect(server.delegate.stored.isEmpty)
            #expect(server.delegate.events.first?.1?.callingAETitle == calling)
            // The allowed peer still gets through.
            let ok = try server.storescu([study.explicitFiles[0]], calling: "ALLOWED", called: "CTPERF")
            #expect(ok.status == 0, "storescu: \(ok.combined)")
            #expect(server.delegate.stored.count == 1)
        }

        @Test func associationLimitRejectsTransientlyUntilASlotIsFree() throws {
            let server = try RunningSCP(maxAssociations: 1)
            let gate = server.delegate.holdStores()
            let study = try TestStudy.make(in: server.directory)
            let first = try BackgroundProcess("storescu", ["-aet", "FIRST", "-aec", "CTPERF", "127.0.0.1", String(server.port),
                                                          study.explicitFiles[0]])
            try Poll.until(timeoutSeconds: 10, "the first store to be held") { server.delegate.storesWaiting == 1 }
            #expect(server.scp.activeAssociations == 1)

            let second = try server.storescu([study.explicitFiles[1]], calling: "SECOND")
            #expect(second.status != 0)
            #expect(second.combined.contains("Local Limit Exceeded"), "storescu: \(second.combined)")
            #expect(server.delegate.eventKinds.contains(.rejected(.localLimitExceeded)))

            gate.signal()
            let firstOut = try first.wait(timeoutSeconds: 20)
            #expect(firstOut.status == 0, "first storescu: \(firstOut.combined)")
            try Poll.until(timeoutSeconds: 10, "the first association to end") { server.scp.activeAssociations == 0 }
            gate.signal()   // the retry's store is held too: let it pass at once
            let retry = try server.storescu([study.explicitFiles[1]], calling: "SECOND")
            #expect(retry.status == 0, "storescu: \(retry.combined)")
            #expect(server.delegate.stored.count == 2)
        }

        @Test(arguments: [(UInt16(0xA700), "0xa700: Refused: Out of resources"), (UInt16(0xC000), "0xc000: Error: Cannot understand")])
        func delegateFailureStatusReachesStorescu(status: UInt16, text: String) throws {
            let server = try RunningSCP { $0.respond(StoreResponse(status: status, errorComment: "disk full (test)")) }
            let study = try TestStudy.make(in: server.directory)
            let out = try server.storescu([study.explicitFiles[0]], options: ["-d"])
            // storescu exits with the high byte of a failed store's status.
            #expect(out.status == Int32(status >> 8), "storescu: \(out.combined.suffix(3000))")
            #expect(out.combined.contains("DIMSE Status                  : \(text)"), "storescu: \(out.combined.suffix(3000))")
            #expect(out.combined.contains("(0000,0902) LO [disk full (test)]"), "storescu: \(out.combined.suffix(3000))")
            #expect(server.delegate.stored.isEmpty)
        }

        /// Port scanners and health checks connect and hang up, or send something that is not
        /// DICOM (here an HTTP request): reported as failures, and the SCP keeps serving.
        @Test func probesThatAreNotDICOMAreReportedAndServingGoesOn() throws {
            let server = try RunningSCP()
            try RawConnection.send(Data(), toPort: server.port)
            try RawConnection.send(Data("GET / HTTP/1.0\r\n\r\n".utf8), toPort: server.port)
            do {
                try Poll.until(timeoutSeconds: 10, "two failure events") {
                    server.delegate.eventKinds.filter { if case .failure = $0 { return true } else { return false } }.count == 2
                }
            } catch {
                Issue.record("\(error); events: \(server.delegate.eventKinds)")
            }
            let failures = server.delegate.eventKinds.compactMap { event -> String? in
                if case .failure(let text) = event { return text } else { return nil }
            }
            #expect(failures.allSatisfy { $0.contains("127.0.0.1") }, "\(failures)")
            let out = try ExternalTool.run("echoscu", ["-aec", "CTPERF", "127.0.0.1", String(server.port)])
            #expect(out.status == 0, "echoscu: \(out.combined)")
            #expect(server.delegate.eventKinds.contains(.echo))
        }
    }
}
