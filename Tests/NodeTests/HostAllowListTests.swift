import Testing
@testable import Node

/// HostAllowList: exact addresses, CIDR blocks of every size, and what is refused.
@Suite struct HostAllowListTests {
    @Test func emptyListAllowsEveryPeer() throws {
        let list = try HostAllowList([])
        #expect(list.allowsEverything)
        #expect(list.allows("10.1.2.3"))
        #expect(list.allows("not an address"))
    }

    @Test func exactAddressAllowsOnlyThatAddress() throws {
        let list = try HostAllowList(["10.0.0.5"])
        #expect(!list.allowsEverything)
        #expect(list.allows("10.0.0.5"))
        #expect(!list.allows("10.0.0.6"))
        #expect(!list.allows("10.0.0.4"))
    }

    @Test func slash24AllowsItsBlock() throws {
        let list = try HostAllowList(["192.168.7.0/24"])
        #expect(list.allows("192.168.7.0"))
        #expect(list.allows("192.168.7.255"))
        #expect(!list.allows("192.168.8.1"))
        #expect(!list.allows("192.168.6.255"))
    }

    @Test func slash0AllowsEveryIPv4Address() throws {
        let list = try HostAllowList(["0.0.0.0/0"])
        #expect(list.allows("0.0.0.0"))
        #expect(list.allows("255.255.255.255"))
        #expect(!list.allows("garbage"))
    }

    @Test func slash32IsOneAddress() throws {
        let list = try HostAllowList(["172.16.0.9/32"])
        #expect(list.allows("172.16.0.9"))
        #expect(!list.allows("172.16.0.8"))
    }

    @Test func severalEntriesAreOred() throws {
        let list = try HostAllowList(["10.0.0.5", "10.1.0.0/16"])
        #expect(list.allows("10.0.0.5"))
        #expect(list.allows("10.1.200.3"))
        #expect(!list.allows("10.2.0.1"))
    }

    @Test func peerAddressesThatDoNotParseAreRefused() throws {
        let list = try HostAllowList(["0.0.0.0/0"])
        for peer in ["", "10.0.0", "10.0.0.1.2", "10.0.0.256", "010.0.0.1", "a.b.c.d", " 10.0.0.1", "::1"] {
            #expect(!list.allows(peer), "\(peer)")
        }
    }

    @Test func ipv4MappedIPv6PeersAreCheckedAsIPv4() throws {
        let list = try HostAllowList(["10.0.0.0/8"])
        #expect(list.allows("::ffff:10.3.2.1"))
        #expect(list.allows("::FFFF:10.3.2.1"))
        #expect(!list.allows("::ffff:11.3.2.1"))
    }

    /// (entry, expected message, expected hint).
    static let badEntries: [(String, String, String)] = [
        ("10.0.0.256", "'10.0.0.256' is not an IPv4 address or CIDR block",
         "write an IPv4 address like 10.0.0.5 or a block like 10.0.0.0/24"),
        ("10.0.0", "'10.0.0' is not an IPv4 address or CIDR block",
         "write an IPv4 address like 10.0.0.5 or a block like 10.0.0.0/24"),
        ("", "'' is not an IPv4 address or CIDR block", "write an IPv4 address like 10.0.0.5 or a block like 10.0.0.0/24"),
        ("pacs.local", "'pacs.local' is not an IPv4 address or CIDR block",
         "write an IPv4 address like 10.0.0.5 or a block like 10.0.0.0/24"),
        ("10.0.0.0/33", "the prefix length in '10.0.0.0/33' must be from 0 to 32",
         "write an IPv4 address like 10.0.0.5 or a block like 10.0.0.0/24"),
        ("10.0.0.0/", "the prefix length in '10.0.0.0/' must be from 0 to 32",
         "write an IPv4 address like 10.0.0.5 or a block like 10.0.0.0/24"),
        ("10.0.0.0/x", "the prefix length in '10.0.0.0/x' must be from 0 to 32",
         "write an IPv4 address like 10.0.0.5 or a block like 10.0.0.0/24"),
        ("10.0.0.5/24", "'10.0.0.5/24' has address bits set after the /24 prefix",
         "write the block as 10.0.0.0/24, or 10.0.0.5/32 for one host"),
        ("1.2.3.4/0", "'1.2.3.4/0' has address bits set after the /0 prefix",
         "write the block as 0.0.0.0/0, or 1.2.3.4/32 for one host"),
    ]

    @Test(arguments: badEntries)
    func badEntriesAreRejectedWithWhatToWrite(entry: String, message: String, hint: String) {
        #expect(throws: ConfigError(path: "", line: nil, message: message, hint: hint)) {
            try HostAllowList(["10.0.0.1", entry])
        }
    }
}
