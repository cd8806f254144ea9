import DICOM
import Foundation
import TestSupport
import Testing

extension NetworkTests {
    /// StoreSCU against DCMTK's storescp and against our StoreSCP.
    @Suite struct SendTests {
        @Test func allFilesArriveAtStorescpInTheirOwnTransferSyntax() throws {
            let peer = try StorescpPeer(acceptAll: true)
            let dir = TemporaryDirectory.make("ctperf-send")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let study = try TestStudy.make(in: dir)
            let files = study.allFiles
            let outcomes = try StoreSCU.send(files: files, to: peer.target())
            #expect(outcomes.map(\.path) == files)
            #expect(outcomes.allSatisfy { $0.status == 0 && $0.stored && $0.comment.isEmpty }, "\(outcomes)")
            let received = try peer.received()
            #expect(received.count == files.count)
            for file in files {
                let uid = try #require(sopInstanceUID(of: file))
                #expect(outcomes.contains { $0.path == file && $0.sopInstanceUID == uid })
                let copy = try #require(received[uid], "\(file) did not arrive")
                let syntax = try DicomFile(path: file).transferSyntaxUID
                if syntax == TransferSyntax.jpegLossless57 {
                    // storescp +xa does not accept JPEG Lossless Process 14 (.57): sent decompressed.
                    #expect(try DicomFile(path: copy).transferSyntaxUID == TransferSyntax.explicitLittle)
                    #expect(try DicomFile(path: copy).pixelBytes() == DicomFile(path: file).pixelBytes())
                } else {
                    #expect(try DicomFile(path: copy).transferSyntaxUID == syntax)
                    #expect(try datasetBytes(of: copy) == datasetBytes(of: file), "\(file): dataset differs")
                }
            }
        }

        /// storescp without +xa accepts uncompressed syntaxes only: lossless files are decompressed
        /// and arrive with the same pixels; the near-lossless one cannot be sent, so nothing is.
        @Test func compressedFilesAreDecompressedForAPeerThatOnlyTakesUncompressed() throws {
            let peer = try StorescpPeer(acceptAll: false)
            let dir = TemporaryDirectory.make("ctperf-send")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let study = try TestStudy.make(in: dir)
            let lossless = study.compressedFiles.filter { $0.key != TransferSyntax.jpegLSNearLossless }.map(\.value).sorted()
            let outcomes = try StoreSCU.send(files: lossless, to: peer.target())
            #expect(outcomes.allSatisfy { $0.stored }, "\(outcomes)")
            let received = try peer.received()
            for file in lossless {
                let copy = try #require(received[sopInstanceUID(of: file) ?? ""], "\(file) did not arrive")
                let uncompressed = [TransferSyntax.explicitLittle, TransferSyntax.implicitLittle, TransferSyntax.explicitBig]
                #expect(uncompressed.contains(try DicomFile(path: copy).transferSyntaxUID))
                #expect(try DicomFile(path: copy).pixelBytes() == DicomFile(path: file).pixelBytes())
            }

            let nearLossless = try #require(study.compressedFiles[TransferSyntax.jpegLSNearLossless])
            let before = try peer.received().count
            #expect {
                try StoreSCU.send(files: [lossless[0], nearLossless], to: peer.target())
            } throws: { error in
                let e = error as? StoreSCUError
                return e?.kind == .permanent && e?.message.contains("no presentation context") == true
                    && e?.message.contains("JPEG-LS") == true
            }
            #expect(try peer.received().count == before)
        }

        @Test func aClosedPortIsTransient() throws {
            let port = try FreePort.next()
            let target = StoreSCUTarget(callingAETitle: "CTPERF", calledAETitle: "PACS", host: "127.0.0.1", port: port,
                                        timeoutSeconds: 5)
            let dir = TemporaryDirectory.make("ctperf-send")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let study = try TestStudy.make(in: dir)
            do {
                _ = try StoreSCU.send(files: study.explicitFiles, to: target)
                Issue.record("sending to a closed port succeeded")
            } catch {
                #expect(error.kind == .transient)
                #expect(error.message.contains("Connection refused") && error.message.contains("127.0.0.1:\(port)"), "\(error)")
            }
            #expect(throws: StoreSCUError.self) { try StoreSCU.echo(target) }
        }

        @Test func rejectedCalledAETitleIsPermanentAndABusyPeerTransient() throws {
            let server = try RunningSCP { delegate in
                delegate.decide { info in
                    info.calledAETitle != "CTPERF" ? .reject(.calledAETitleNotRecognized)
                        : info.callingAETitle == "BUSY" ? .reject(.localLimitExceeded) : .accept
                }
            }
            let study = try TestStudy.make(in: server.directory)
            var target = StoreSCUTarget(callingAETitle: "SENDER", calledAETitle: "WRONG", host: "127.0.0.1", port: server.port)
            do {
                _ = try StoreSCU.send(files: study.explicitFiles, to: target)
                Issue.record("a rejected association succeeded")
            } catch {
                #expect(error.kind == .permanent)
                #expect(error.message.contains("called AE title not recognised"), "\(error)")
            }
            target.calledAETitle = "CTPERF"
            target.callingAETitle = "BUSY"
            do {
                _ = try StoreSCU.send(files: study.explicitFiles, to: target)
                Issue.record("a transiently rejected association succeeded")
            } catch {
                #expect(error.kind == .transient)
                #expect(error.message.contains("local limit exceeded"), "\(error)")
            }
            #expect(server.delegate.stored.isEmpty)
        }

        @Test func outOfResourcesComesBackPerFileAndIsTransient() throws {
            let server = try RunningSCP { $0.respond(StoreResponse(status: 0xA700, errorComment: "disk full")) }
            let study = try TestStudy.make(in: server.directory)
            let target = StoreSCUTarget(callingAETitle: "SENDER", calledAETitle: "CTPERF", host: "127.0.0.1", port: server.port)
            let outcomes = try StoreSCU.send(files: study.explicitFiles, to: target)
            #expect(outcomes.count == study.explicitFiles.count)
            for outcome in outcomes {
                #expect(outcome.status == 0xA700 && outcome.comment == "disk full" && !outcome.stored)
                #expect(StoreSCU.isTransient(status: outcome.status))
            }
            try StoreSCU.echo(target)
            #expect(server.delegate.eventKinds.contains(.echo))
        }

        @Test func aSOPClassThePeerDoesNotTakeIsPermanentAndNothingIsSent() throws {
            let server = try RunningSCP()
            let study = try TestStudy.make(in: server.directory)
            let odd = server.directory + "/private-class.dcm"
            try FileManager.default.copyItem(atPath: study.explicitFiles[1], toPath: odd)
            try ExternalTool.runChecked("dcmodify", ["-nb", "-m", "(0008,0016)=1.2.826.0.1.3680043.2.1143.999", odd])
            let target = StoreSCUTarget(callingAETitle: "SENDER", calledAETitle: "CTPERF", host: "127.0.0.1", port: server.port)
            #expect {
                try StoreSCU.send(files: [study.explicitFiles[0], odd], to: target)
            } throws: { error in
                let e = error as? StoreSCUError
                return e?.kind == .permanent && e?.message.contains("private-class.dcm") == true
            }
            #expect(server.delegate.stored.isEmpty)
        }

        @Test func anUnreadableFileIsPermanentBeforeConnecting() throws {
            let dir = TemporaryDirectory.make("ctperf-send")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let bad = dir + "/not-dicom.dcm"
            try Data("hello".utf8).write(to: URL(fileURLWithPath: bad))
            // The port is closed: a transient error would mean it tried to connect.
            let target = StoreSCUTarget(callingAETitle: "A", calledAETitle: "B", host: "127.0.0.1", port: try FreePort.next())
            #expect {
                try StoreSCU.send(files: [bad], to: target)
            } throws: { error in
                (error as? StoreSCUError)?.kind == .permanent && "\(error)".contains(bad)
            }
            #expect(try StoreSCU.send(files: [], to: target).isEmpty)
        }

        @Test func transientStatuses() {
            for status: UInt16 in [0xA700, 0xA7FF, 0x0213, 0x0210, 0xFE00] { #expect(StoreSCU.isTransient(status: status)) }
            for status: UInt16 in [0x0000, 0xB000, 0xA900, 0xC000, 0xC123, 0x0122, 0x0124, 0x0211, 0x0212] {
                #expect(!StoreSCU.isTransient(status: status), "0x\(String(status, radix: 16))")
            }
            #expect(StoreOutcome(path: "", sopInstanceUID: "", status: 0xB007, comment: "").stored)
            #expect(!StoreOutcome(path: "", sopInstanceUID: "", status: 0xA700, comment: "").stored)
        }
    }
}
