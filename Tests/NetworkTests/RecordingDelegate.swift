import DICOM
import Foundation
import TestSupport

/// A store delegate for tests: decides with a closure, writes each instance to a directory,
/// answers a configurable status, can hold stores until the test releases them, and records
/// every event.
///
/// `@unchecked Sendable`: every mutable property is only touched under `lock`; `gate` is a
/// semaphore (thread-safe) set before the SCP starts.
final class RecordingDelegate: StoreSCPDelegate, @unchecked Sendable {
    struct Stored: Sendable, Equatable {
        var path: String
        var association: AssociationInfo
        var affectedSOPInstanceUID: String
        var sopInstanceUID: String
        var sopClassUID: String
        var studyInstanceUID: String
        var seriesInstanceUID: String
        var modality: String
        var transferSyntaxUID: String
    }

    let directory: String
    private let lock = NSLock()
    private var decision: @Sendable (AssociationInfo) -> AssociationDecision = { _ in .accept }
    private var response = StoreResponse.success
    private var gate: DispatchSemaphore?
    private var _events: [(SCPEvent, AssociationInfo?)] = []
    private var _stored: [Stored] = []
    private var _storesWaiting = 0

    init(directory: String) { self.directory = directory }

    // MARK: configuration (before or while the SCP runs)

    func decide(with rule: @escaping @Sendable (AssociationInfo) -> AssociationDecision) {
        lock.withLock { decision = rule }
    }

    func respond(_ response: StoreResponse) { lock.withLock { self.response = response } }

    /// Every store waits for a `signal()` of the returned semaphore.
    func holdStores() -> DispatchSemaphore {
        let semaphore = DispatchSemaphore(value: 0)
        lock.withLock { gate = semaphore }
        return semaphore
    }

    // MARK: what happened

    var events: [(SCPEvent, AssociationInfo?)] { lock.withLock { _events } }
    var eventKinds: [SCPEvent] { events.map(\.0) }
    var stored: [Stored] { lock.withLock { _stored } }
    var storesWaiting: Int { lock.withLock { _storesWaiting } }

    // MARK: StoreSCPDelegate

    func decide(_ association: AssociationInfo) -> AssociationDecision {
        let rule = lock.withLock { decision }
        return rule(association)
    }

    func store(_ request: borrowing StoreRequest) -> StoreResponse {
        let (gate, response) = lock.withLock { (self.gate, self.response) }
        if let gate {
            lock.withLock { _storesWaiting += 1 }
            gate.wait()
            lock.withLock { _storesWaiting -= 1 }
        }
        guard response.status == 0 else { return response }
        let path = directory + "/\(request.sopInstanceUID).dcm"
        do {
            let data = try request.withFileBytes { Data($0) }
            try data.write(to: URL(fileURLWithPath: path))
        } catch {
            return StoreResponse(status: 0xA700, errorComment: "test delegate could not write: \(error)")
        }
        let record = Stored(path: path, association: request.association,
                            affectedSOPInstanceUID: request.affectedSOPInstanceUID,
                            sopInstanceUID: request.sopInstanceUID, sopClassUID: request.sopClassUID,
                            studyInstanceUID: request.studyInstanceUID, seriesInstanceUID: request.seriesInstanceUID,
                            modality: request.modality, transferSyntaxUID: request.transferSyntaxUID)
        lock.withLock { _stored.append(record) }
        return response
    }

    func event(_ event: SCPEvent, association: AssociationInfo?) {
        lock.withLock { _events.append((event, association)) }
    }
}

/// A running StoreSCP on a free loopback port with a recording delegate, stopped on deinit.
final class RunningSCP {
    let scp: StoreSCP
    let delegate: RecordingDelegate
    let port: Int
    let directory: String

    init(maxAssociations: Int = 8, networkTimeoutSeconds: Int = 20, tls: TLSSettings? = nil,
         configure: (RecordingDelegate) -> Void = { _ in }) throws {
        directory = TemporaryDirectory.make("ctperf-scp")
        delegate = RecordingDelegate(directory: directory)
        configure(delegate)
        port = try FreePort.next()
        scp = StoreSCP(settings: StoreSCPSettings(port: port, maxAssociations: maxAssociations,
                                                  networkTimeoutSeconds: networkTimeoutSeconds, tls: tls),
                       delegate: delegate)
        try scp.start()
    }

    deinit {
        scp.stop(waitSeconds: 5)
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// storescu from DCMTK sending `files` to us, to completion. `requiredContextsOnly` (-R)
    /// proposes each file's own transfer syntax; without it storescu proposes its default list of
    /// 64 SOP classes in uncompressed syntaxes (and some compressed files then cannot be sent).
    func storescu(_ files: [String], calling: String = "STORESCU", called: String = "CTPERF",
                  requiredContextsOnly: Bool = false, options: [String] = []) throws -> ExternalTool.Output {
        try ExternalTool.run("storescu", (requiredContextsOnly ? ["-R"] : []) + options +
                             ["-aet", calling, "-aec", called, "127.0.0.1", String(port)] + files)
    }

    /// Wait until the delegate has seen an event matching `predicate`.
    func waitForEvent(_ what: String, timeoutSeconds: Double = 10, _ predicate: (SCPEvent) -> Bool) throws {
        try Poll.until(timeoutSeconds: timeoutSeconds, what) { delegate.eventKinds.contains(where: predicate) }
    }
}
