import DICOM
import Foundation
import TestSupport
import Testing

extension NetworkTests {
    /// Starting, stopping, timeouts and live reconfiguration of StoreSCP.
    @Suite struct LifecycleTests {
        /// A storescu whose store the delegate holds, frozen (SIGSTOP) once the store is answered:
        /// an association that stays open and silent, like a sender that never releases.
        final class SilentPeer {
            let process: BackgroundProcess

            init(_ server: RunningSCP, file: String) throws {
                let gate = server.delegate.holdStores()
                process = try BackgroundProcess("storescu", ["-aec", "CTPERF", "127.0.0.1", String(server.port), file])
                try Poll.until(timeoutSeconds: 10, "the store to be held") { server.delegate.storesWaiting == 1 }
                kill(process.processIdentifier, SIGSTOP)   // our child, by its id
                gate.signal()
                try Poll.until(timeoutSeconds: 10, "the store to be answered") { server.delegate.storesWaiting == 0 }
            }

            deinit { process.terminate() }
        }

        @Test func stopIsPromptAndFreesThePort() throws {
            let server = try RunningSCP()
            let echo = try ExternalTool.run("echoscu", ["-aec", "CTPERF", "127.0.0.1", String(server.port)])
            #expect(echo.status == 0, "echoscu: \(echo.combined)")
            try Poll.until(timeoutSeconds: 10, "the echo association to end") { server.scp.activeAssociations == 0 }
            let started = Date()
            #expect(server.scp.stop(waitSeconds: 5) == 0)
            // The accept loop notices a stop within its 1 s receive timeout.
            #expect(Date().timeIntervalSince(started) < 1.5, "stop took \(Date().timeIntervalSince(started)) s")
            #expect(server.scp.stop(waitSeconds: 1) == 0)   // idempotent
            let refused = try ExternalTool.run("echoscu", ["-aec", "CTPERF", "127.0.0.1", String(server.port)])
            #expect(refused.status != 0 && refused.combined.contains("Connection refused"), "echoscu: \(refused.combined)")
            // The port is free again: a new SCP binds it.
            let again = StoreSCP(settings: StoreSCPSettings(port: server.port), delegate: server.delegate)
            try again.start()
            #expect(again.stop(waitSeconds: 1) == 0)
        }

        @Test func startOnAPortInUseSaysSo() throws {
            let server = try RunningSCP()
            let second = StoreSCP(settings: StoreSCPSettings(port: server.port), delegate: server.delegate)
            do {
                try second.start()
                Issue.record("a second listener started on port \(server.port)")
            } catch let error as DICOMError {
                #expect(error.code == .network)
                #expect(error.message.contains("Address already in use"), "\(error.message)")
                #expect(error.message.contains("\(server.port)"), "\(error.message)")
            }
            // The first one still works.
            let out = try ExternalTool.run("echoscu", ["-aec", "CTPERF", "127.0.0.1", String(server.port)])
            #expect(out.status == 0, "echoscu: \(out.combined)")
        }
        @Test func aSilentAssociationIsAbortedAfterTheNetworkTimeout() throws {
            let server = try RunningSCP(networkTimeoutSeconds: 2)
            let study = try TestStudy.make(in: server.directory)
            let peer = try SilentPeer(server, file: study.explicitFiles[0])
            let started = Date()
            try server.waitForEvent("the idle association to be aborted") {
                if case .aborted(let why) = $0 { return why.contains("idle for 2 s") } else { return false }
            }
            #expect(Date().timeIntervalSince(started) < 4)
            try Poll.until(timeoutSeconds: 5, "the association to end") { server.scp.activeAssociations == 0 }
            _ = peer
        }

        /// stop waits, reports what is still running, and the rest is aborted within about a second.
        @Test func stopReportsAndAbortsAssociationsStillOpenAtItsDeadline() throws {
            let server = try RunningSCP(networkTimeoutSeconds: 60)
            let study = try TestStudy.make(in: server.directory)
            let peer = try SilentPeer(server, file: study.explicitFiles[0])
            #expect(server.scp.activeAssociations == 1)
            let started = Date()
            #expect(server.scp.stop(waitSeconds: 0.5) == 1)
            #expect(Date().timeIntervalSince(started) < 2)
            try Poll.until(timeoutSeconds: 3, "the open association to be aborted") { server.scp.activeAssociations == 0 }
            #expect(server.delegate.eventKinds.contains(.aborted("stopped by the node (shutdown or reconfiguration)")))
            #expect(server.delegate.stored.count == 1)
            _ = peer
        }

        /// A sender that keeps storing is stopped between two stores once stop's deadline passed:
        /// the store in progress is answered, the next one is not taken.
        @Test func aBusyAssociationEndsBetweenTwoStoresAfterTheDeadline() throws {
            let server = try RunningSCP()
            let gate = server.delegate.holdStores()
            let study = try TestStudy.make(in: server.directory)
            let sender = try BackgroundProcess("storescu", ["-aec", "CTPERF", "127.0.0.1", String(server.port)] + study.explicitFiles)
            try Poll.until(timeoutSeconds: 10, "the first store to be held") { server.delegate.storesWaiting == 1 }
            #expect(server.scp.stop(waitSeconds: 0.2) == 1)
            gate.signal()
            let out = try sender.wait(timeoutSeconds: 10)
            #expect(out.status != 0, "storescu: \(out.combined)")
            #expect(server.delegate.stored.count == 1)
            try Poll.until(timeoutSeconds: 3, "the association to end") { server.scp.activeAssociations == 0 }
            #expect(server.delegate.eventKinds.contains(.aborted("stopped by the node (shutdown or reconfiguration)")))
        }

        @Test func raisingTheLimitWhileRunningAdmitsMore() throws {
            let server = try RunningSCP(maxAssociations: 1)
            let gate = server.delegate.holdStores()
            let study = try TestStudy.make(in: server.directory)
            let first = try BackgroundProcess("storescu", ["-aec", "CTPERF", "127.0.0.1", String(server.port), study.explicitFiles[0]])
            try Poll.until(timeoutSeconds: 10, "the first store to be held") { server.delegate.storesWaiting == 1 }
            server.scp.update(maxAssociations: 2, networkTimeoutSeconds: 20)
            let second = try BackgroundProcess("storescu", ["-aec", "CTPERF", "127.0.0.1", String(server.port), study.explicitFiles[1]])
            try Poll.until(timeoutSeconds: 10, "both stores to be held") { server.delegate.storesWaiting == 2 }
            #expect(server.scp.activeAssociations == 2)
            gate.signal()
            gate.signal()
            #expect(try first.wait(timeoutSeconds: 20).status == 0)
            #expect(try second.wait(timeoutSeconds: 20).status == 0)
            #expect(server.delegate.stored.count == 2)
            #expect(!server.delegate.eventKinds.contains(.rejected(.localLimitExceeded)))
        }
    }
}
