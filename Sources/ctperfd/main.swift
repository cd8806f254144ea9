// Replaced by the daemon's wiring in this issue; present so the package builds while the Node
// target is written.
import Node
print("ctperfd \(NodeConfiguration().node.aeTitle)")
