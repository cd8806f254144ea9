#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A plain TCP client for probing servers with bytes that are not DICOM.
public enum RawConnection {
    /// Connect to 127.0.0.1:`port`, write `bytes`, wait up to 5 s for the server to close the
    /// connection (or reply), then close.
    public static func send(_ bytes: Data, toPort port: Int) throws {
        let fd = try LoopbackTCP.socket()
        defer { close(fd) }
        var address = LoopbackTCP.address(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw TestFailure("connect to port \(port) failed: errno \(errno)") }
        if !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written == bytes.count else { throw TestFailure("write failed: errno \(errno)") }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            _ = poll(&poller, 1, 5000)
        }
    }
}
