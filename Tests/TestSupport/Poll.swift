import Foundation

/// Waiting for something with a deadline instead of sleeping and hoping.
public enum Poll {
    /// Returns as soon as `condition` holds; throws a `TestFailure` naming `what` when it still
    /// does not after `timeoutSeconds`. Checks every 10 ms.
    public static func until(timeoutSeconds: Double, _ what: String, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while true {
            if try condition() { return }
            if Date() >= deadline { throw TestFailure("timed out after \(timeoutSeconds) s waiting for \(what)") }
            usleep(10_000)
        }
    }
}
