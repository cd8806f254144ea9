import Foundation
import Synchronization

/// A stored instance the collector has not looked at yet.
public struct Arrival: Sendable, Equatable {
    /// Path relative to the state directory: incoming/<study>/<series>/<sop>.dcm.
    public var relativePath: String
    public var studyInstanceUID: String
    public var at: Date
    public init(relativePath: String, studyInstanceUID: String, at: Date) {
        self.relativePath = relativePath; self.studyInstanceUID = studyInstanceUID; self.at = at
    }
}

/// Hand-over from the receiver's association threads to the collector on the main loop.
public final class ArrivalInbox: Sendable {
    private let pending = Mutex<[Arrival]>([])

    public init() {}

    public func post(_ a: Arrival) { pending.withLock { $0.append(a) } }

    public func drain() -> [Arrival] { pending.withLock { p in defer { p = [] }; return p } }

    public var count: Int { pending.withLock { $0.count } }
}
