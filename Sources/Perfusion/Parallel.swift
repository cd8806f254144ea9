import Foundation

/// Loops over independent work items on GCD's worker threads (heavy numerics stay off the Swift
/// cooperative pool, STYLE habit 5). Results never depend on scheduling: every item writes only
/// its own output range.
enum Parallel {
    /// Runs body(item) for every item in 0..<count, on all cores.
    static func forEach(_ count: Int, _ body: @Sendable (Int) -> Void) {
        guard count > 0 else { return }
        if count == 1 { body(0); return }
        DispatchQueue.concurrentPerform(iterations: count, execute: body)
    }

    /// Splits 0..<count into contiguous chunks (about 8 per core) and runs body(range) on each.
    static func forChunks(_ count: Int, _ body: @Sendable (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let chunks = min(count, max(1, ProcessInfo.processInfo.activeProcessorCount * 8))
        forEach(chunks) { c in
            let start = count * c / chunks, end = count * (c + 1) / chunks
            if start < end { body(start..<end) }
        }
    }

    /// Builds an array of `count` elements where fill(range, out) initialises out[range]
    /// (chunked as `forChunks`). Element must be a trivial type.
    static func build<Element>(_ count: Int, _ fill: @Sendable (Range<Int>, SharedMutablePointer<Element>) -> Void) -> [Element] {
        [Element](unsafeUninitializedCapacity: count) { buffer, initialised in
            if let base = buffer.baseAddress {
                let out = SharedMutablePointer(base)
                forChunks(count) { fill($0, out) }
            }
            initialised = count
        }
    }
}

/// A pointer into storage written by parallel work items.
/// `@unchecked Sendable` is safe because every user writes disjoint index ranges from the items
/// of one `Parallel` call and the pointer does not outlive the storage, which is owned by the
/// caller of that call and outlives it (concurrentPerform returns only when all items are done).
struct SharedMutablePointer<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
    init(_ base: UnsafeMutablePointer<Element>) { self.base = base }
    @inline(__always) subscript(i: Int) -> Element {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }
}

/// A read-only pointer shared by parallel work items. `@unchecked Sendable` is safe because
/// nobody writes through it while the items run and the storage outlives the `Parallel` call.
struct SharedPointer<Element>: @unchecked Sendable {
    let base: UnsafePointer<Element>
    init(_ base: UnsafePointer<Element>) { self.base = base }
    @inline(__always) subscript(i: Int) -> Element { base[i] }
}

extension Array {
    /// Runs body with a mutable shared pointer to the array's storage (for `Parallel` loops).
    /// Precondition: the array is not empty.
    mutating func withSharedPointer<R>(_ body: (SharedMutablePointer<Element>) throws -> R) rethrows -> R {
        precondition(!isEmpty, "shared pointer to an empty array")
        return try withUnsafeMutableBufferPointer { try body(SharedMutablePointer($0.baseAddress!)) }
    }

    /// Runs body with a read-only shared pointer to the array's storage.
    /// Precondition: the array is not empty.
    func withSharedReadPointer<R>(_ body: (SharedPointer<Element>) throws -> R) rethrows -> R {
        precondition(!isEmpty, "shared pointer to an empty array")
        return try withUnsafeBufferPointer { try body(SharedPointer($0.baseAddress!)) }
    }
}
