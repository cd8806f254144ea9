/// What a SIGHUP reload can apply to the running daemon.
extension ConfigLoader {
    /// File keys (`table.key`) that take effect only after a restart: the listener's port and
    /// the state directory (spool, jobs, outbox). Everything else applies live on SIGHUP.
    public static let restartOnlyKeys = ["node.port", "node.state_dir"]

    /// The keys of `restartOnlyKeys` whose values differ between `old` and `new`, in that order.
    /// Empty when the new configuration can be applied entirely by a reload.
    public static func restartRequired(old: NodeConfiguration, new: NodeConfiguration) -> [String] {
        var changed: [String] = []
        if old.node.port != new.node.port { changed.append("node.port") }
        if old.node.stateDir != new.node.stateDir { changed.append("node.state_dir") }
        return changed
    }
}
