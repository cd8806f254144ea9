#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The TCP socket and 127.0.0.1 address the loopback test helpers (FreePort, RawConnection) share.
enum LoopbackTCP {
    /// A new IPv4 stream socket; throws when the system refuses one.
    static func socket() throws -> Int32 {
        #if os(Linux)
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = Darwin.socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw TestFailure("socket() failed: errno \(errno)") }
        return fd
    }

    /// 127.0.0.1:`port` (0 = let the kernel choose).
    static func address(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
