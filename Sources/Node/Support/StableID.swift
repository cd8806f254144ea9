/// Short stable identifiers derived from UIDs (FNV-1a 64-bit), for file names people can read
/// and that do not change across restarts.
public enum StableID {
    public static func fnv1a(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }

    /// The first `digits` hex digits of the hash of `s`.
    public static func hex(_ s: String, digits: Int = 8) -> String {
        let full = String(fnv1a(s), radix: 16)
        let padded = String(repeating: "0", count: max(0, 16 - full.count)) + full
        return String(padded.prefix(digits))
    }
}
