import Testing

/// The network tests run one at a time: several start real peers, and the soak test counts the
/// process's threads and memory, which concurrent tests would disturb.
@Suite(.serialized) struct NetworkTests {}
