#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Node
import TestSupport
import Testing

/// The unit file is valid for systemd, and ctperfd speaks the notify protocol (READY, STATUS,
/// WATCHDOG, RELOADING, STOPPING) and drains on SIGTERM.
@Suite(.serialized) struct SystemdTests {
    static var unitPath: String { repoPath("systemd/ctperfd.service") }

    /// A path inside this repository (found from this file's location).
    static func repoPath(_ relative: String) -> String {
        var parts = URL(fileURLWithPath: #filePath).pathComponents
        parts.removeLast(3)
        return (parts + [relative]).joined(separator: "/").replacingOccurrences(of: "//", with: "/")
    }

    @Test func systemdAnalyzeVerifyAcceptsTheUnit() throws {
        let dir = TemporaryDirectory.make("ctperf-unit")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // verify checks that the programs exist: point them at the built binary.
        let text = try String(contentsOfFile: Self.unitPath, encoding: .utf8)
        let unit = text.replacingOccurrences(of: "/usr/bin/ctperfd", with: Built.ctperfd)
        try unit.write(toFile: dir + "/ctperfd.service", atomically: true, encoding: .utf8)
        // verify also runs man(1) on every Documentation=man: page. Point MANPATH at a man tree
        // made of the repository's pages only (nothing installed, no system page can stand in),
        // so the unit is verified unchanged and its man: references must name pages in man/.
        let manTree = dir + "/man"
        for (page, section) in [("ctperfd.8", "man8"), ("ctperfd.toml.5", "man5"), ("ctperf.1", "man1")] {
            try FileManager.default.createDirectory(atPath: manTree + "/" + section, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Self.repoPath("man/" + page), toPath: manTree + "/" + section + "/" + page)
        }
        #expect(text.contains("Documentation=man:ctperfd(8) man:ctperfd.toml(5)"), "unit lacks the man pages in Documentation=")
        let out = try ExternalTool.run("env", ["MANPATH=" + manTree, "systemd-analyze", "verify", dir + "/ctperfd.service"])
        #expect(out.status == 0 && out.combined.isEmpty, "\(out.combined)")
        for line in ["Type=notify", "WatchdogSec=", "User=ctperf", "StateDirectory=ctperf", "ConfigurationDirectory=ctperf",
                     "ExecStartPre=/usr/bin/ctperfd --check-config", "ExecReload=/bin/kill -HUP $MAINPID",
                     "NoNewPrivileges=yes", "ProtectSystem=strict", "KillMode=mixed"] {
            #expect(text.contains(line), "unit lacks \(line)")
        }
    }

    /// A datagram socket standing in for systemd's $NOTIFY_SOCKET.
    final class NotifySocket {
        let path: String
        let fd: Int32
        var received: [String] = []

        init(path: String) throws {
            self.path = path
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            var addr = sockaddr_un()
            addr.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
            let len = socklen_t(MemoryLayout<sa_family_t>.size + path.utf8.count + 1)
            let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
            guard rc == 0 else { throw TestFailure("bind \(path): \(String(cString: strerror(errno)))") }
            var tv = timeval(tv_sec: 0, tv_usec: 100_000)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        }

        /// Reads datagrams until one contains `text` or the deadline passes.
        func await(_ text: String, seconds: Double) -> Bool {
            if received.contains(where: { $0.contains(text) }) { return true }
            let deadline = Date().addingTimeInterval(seconds)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while Date() < deadline {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n > 0 {
                    let s = String(decoding: buffer[0..<n], as: UTF8.self)
                    received.append(s)
                    if s.contains(text) { return true }
                }
            }
            return false
        }

        deinit { close(fd); unlink(path) }
    }

    @Test func notifyProtocolAndDrainOnSigterm() throws {
        let node = try NodeHarness()
        defer { node.remove() }
        let notify = try NotifySocket(path: node.root + "/notify.sock")
        try node.start(environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "3000000"])
        let pid = node.daemon!.process.processIdentifier
        #expect(notify.await("READY=1", seconds: 10))
        #expect(notify.await("MAINPID=\(pid)", seconds: 1))
        #expect(notify.await("WATCHDOG=1", seconds: 5))
        #expect(notify.await("STATUS=0 associations", seconds: 5), "\(notify.received)")

        kill(pid, SIGHUP)
        #expect(notify.await("RELOADING=1", seconds: 10))
        #expect(notify.received.last { $0.contains("RELOADING=1") }?.contains("MONOTONIC_USEC=") == true)

        // SIGTERM while a study is being sent (10 times over, in one association, so the transfer
        // lasts seconds): the association finishes, every image is kept.
        let (files, report) = try Studies.write(.strokeLeft, matrix: 128, frames: 80, into: node.root + "/src")
        let sender = try Peer("storescu", "storescu", ["--repeat", "10", "-aet", "SCANNER", "-aec", node.aeTitle,
                                                       "127.0.0.1", "\(node.port)"] + files,
                              logPath: node.root + "/storescu.log")
        let study = node.stateDir + "/incoming/" + report.studyInstanceUID
        try Poll.until(timeoutSeconds: 30, "the first images") { DicomChecks.files(study).count >= 5 }
        kill(pid, SIGTERM)
        #expect(notify.await("STOPPING=1", seconds: 10))
        try node.wait("the stopping event", seconds: 10) { node.log.contains("event=stopping") }
        #expect(node.log.contains("event=stopping active_associations=1"), "SIGTERM must have arrived mid-transfer")
        sender.process.waitUntilExit()
        #expect(sender.process.terminationStatus == 0, "storescu: \(sender.log)")
        node.daemon!.process.waitUntilExit()
        #expect(node.daemon!.process.terminationStatus == 0)
        #expect(DicomChecks.files(study).filter { $0.hasSuffix(".dcm") }.count == files.count)
        // New associations are refused once stopping: the port is closed.
        #expect(try ExternalTool.run("echoscu", ["-aec", node.aeTitle, "127.0.0.1", "\(node.port)"]).status != 0)
    }
}
