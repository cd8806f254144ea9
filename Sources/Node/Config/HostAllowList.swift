/// The peers allowed to open an association: IPv4 addresses and CIDR blocks ([node] allowed_hosts).
///
/// An empty list allows every peer. Otherwise a peer is allowed when its address lies in one
/// of the blocks; an address that does not parse as dotted IPv4 (or IPv4-mapped IPv6,
/// `::ffff:a.b.c.d`) is not allowed.
public struct HostAllowList: Sendable, Equatable {
    /// One IPv4 network; a single address is a /32.
    struct Block: Sendable, Equatable {
        /// Network address, host byte order, bits after the prefix zero.
        var network: UInt32
        /// Leading bits that must match, 0–32.
        var prefixLength: Int

        var mask: UInt32 { prefixLength == 0 ? 0 : UInt32.max << UInt32(32 - prefixLength) }

        func contains(_ address: UInt32) -> Bool { address & mask == network }
    }

    let blocks: [Block]

    /// Parses `a.b.c.d` and `a.b.c.d/n` entries; throws a `ConfigError` without path or line
    /// for the first entry that is neither (the loader adds the file's path and line).
    public init(_ entries: [String]) throws(ConfigError) {
        var blocks: [Block] = []
        for entry in entries {
            switch Self.parseEntry(entry) {
            case .success(let block): blocks.append(block)
            case .failure(let error): throw error
            }
        }
        self.blocks = blocks
    }

    /// True when the list is empty: every peer may associate.
    public var allowsEverything: Bool { blocks.isEmpty }

    /// Whether a peer at `ipv4` (dotted quad, or `::ffff:a.b.c.d`) may associate.
    public func allows(_ ipv4: String) -> Bool {
        if blocks.isEmpty { return true }
        var text = Substring(ipv4)
        if text.lowercased().hasPrefix("::ffff:") && text.contains(".") { text = text.dropFirst(7) }
        guard let address = Self.parseIPv4(text) else { return false }
        return blocks.contains { $0.contains(address) }
    }

    /// One allow-list entry, or an error that says what a valid entry looks like.
    static func parseEntry(_ entry: String) -> Result<Block, ConfigError> {
        let hint = "write an IPv4 address like 10.0.0.5 or a block like 10.0.0.0/24"
        let parts = entry.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = parseIPv4(parts[0]) else {
            return .failure(ConfigError(path: "", line: nil,
                                        message: "'\(entry)' is not an IPv4 address or CIDR block", hint: hint))
        }
        guard parts.count == 2 else { return .success(Block(network: address, prefixLength: 32)) }
        guard let prefix = parseDecimal(parts[1], maxDigits: 2), prefix <= 32 else {
            return .failure(ConfigError(path: "", line: nil,
                                        message: "the prefix length in '\(entry)' must be from 0 to 32", hint: hint))
        }
        let block = Block(network: address, prefixLength: prefix)
        guard address & block.mask == address else {
            let network = Block(network: address & block.mask, prefixLength: prefix)
            return .failure(ConfigError(
                path: "", line: nil,
                message: "'\(entry)' has address bits set after the /\(prefix) prefix",
                hint: "write the block as \(format(network.network))/\(prefix), or \(parts[0])/32 for one host"))
        }
        return .success(block)
    }

    /// `a.b.c.d`, each part 0–255 in decimal without leading zeros; host byte order.
    static func parseIPv4(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var address: UInt32 = 0
        for part in parts {
            guard let octet = parseDecimal(part, maxDigits: 3), octet <= 255 else { return nil }
            address = address << 8 | UInt32(octet)
        }
        return address
    }

    /// Plain decimal digits (no sign, no leading zero unless "0").
    private static func parseDecimal(_ text: Substring, maxDigits: Int) -> Int? {
        guard !text.isEmpty, text.utf8.count <= maxDigits, text.utf8.allSatisfy({ (48...57).contains($0) }),
              text == "0" || !text.hasPrefix("0") else { return nil }
        return Int(text)
    }

    /// Dotted-quad text of a host-order address.
    static func format(_ address: UInt32) -> String {
        (0..<4).map { String(address >> UInt32(24 - 8 * $0) & 0xFF) }.joined(separator: ".")
    }
}
