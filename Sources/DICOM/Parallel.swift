import Foundation

/// Run `body(i)` for i in 0..<count on up to `threads` OS threads (Dispatch's concurrentPerform,
/// not the cooperative pool), and collect the results in index order.
public func parallelMap<T: Sendable>(_ count: Int, threads: Int, _ body: @Sendable (Int) -> T) -> [T] {
    let slots = ResultSlots<T>(count: count)
    let workers = max(1, min(threads, count))
    let next = AtomicCounter()
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while true {
            let i = next.increment()
            if i >= count { break }
            slots.set(i, body(i))
        }
    }
    return slots.values()
}

/// Number of threads for I/O-and-decode work: the machine's active cores.
public func defaultThreadCount() -> Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

/// Fixed slots written by index from several threads.
/// @unchecked Sendable: every index is written by exactly one thread (parallelMap hands each
/// index out once) and read only after concurrentPerform has returned.
private final class ResultSlots<T>: @unchecked Sendable {
    private var storage: [T?]
    init(count: Int) { storage = [T?](repeating: nil, count: count) }
    func set(_ i: Int, _ v: T) { storage.withUnsafeMutableBufferPointer { $0[i] = v } }
    func values() -> [T] { storage.map { $0! } }
}

/// A counter shared by worker threads.
/// @unchecked Sendable: the value is only touched under the lock.
final class AtomicCounter: @unchecked Sendable {
    private var value = -1
    private let lock = NSLock()
    func increment() -> Int {
        lock.lock(); defer { lock.unlock() }
        value += 1
        return value
    }
}
