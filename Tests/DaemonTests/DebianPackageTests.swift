#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import TestSupport

/// The Debian package built by scripts/build-deb.sh, installed on this machine with dpkg:
/// files, owners and modes, the system user and state directory, `ctperfd --check-config` on the
/// packaged configuration, a study received and delivered by the installed binaries, an upgrade
/// that keeps the sysadmin's configuration, then remove and purge.
///
/// The package comes from $CTPERF_DEB (scripts/test.sh builds it once before `swift test`);
/// without it the test builds one with scripts/build-deb.sh (a release build: minutes).
/// It changes the machine, so it needs root, refuses to run over an installed ctperf package or
/// an existing /var/lib/ctperf, and undoes everything it did (package, state directory, user).
@Suite(.serialized, .enabled(if: getuid() == 0, "installs a package with dpkg: needs root"))
struct DebianPackageTests {
    static let stateDir = "/var/lib/ctperf"
    static let config = "/etc/ctperf/ctperfd.toml"

    @Test(.timeLimit(.minutes(20)))
    func installRunUpgradeRemove() throws {
        let work = TemporaryDirectory.make("ctperf-deb")
        defer { try? FileManager.default.removeItem(atPath: work) }
        try #require(!Self.packageKnown(), "a ctperf package is installed on this machine; this test installs and purges one — remove it first (dpkg -P ctperf)")
        try #require(!FileManager.default.fileExists(atPath: Self.stateDir), "\(Self.stateDir) exists; this test would mix its study with a real node's")
        let userExisted = try ExternalTool.run("getent", ["passwd", "ctperf"]).status == 0
        defer {
            _ = try? ExternalTool.run("dpkg", ["--purge", "ctperf"])
            try? FileManager.default.removeItem(atPath: Self.stateDir)
            if !userExisted {
                _ = try? ExternalTool.run("userdel", ["ctperf"])
                _ = try? ExternalTool.run("groupdel", ["ctperf"])
            }
        }
        let deb = try Self.package(work)
        let version = try ExternalTool.runChecked("dpkg-deb", ["--field", deb, "Version"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let depends = try ExternalTool.runChecked("dpkg-deb", ["--field", deb, "Depends"])
        #expect(depends.contains("libdcmtk17"), "Depends: \(depends)")
        #expect(!depends.contains("swift"), "the Swift runtime is linked statically: \(depends)")

        // 1. Install, check every file and the user, purge at once: nothing may be left.
        let first = try Self.dpkg(["--install", deb])
        #expect(first.contains("ctperfd is not started"), "a first installation says what to do next: \(first)")
        try checkInstalledFiles(version: version)
        try checkServiceUser()
        _ = try Self.dpkg(["--purge", "ctperf"])
        for path in ["/usr/bin/ctperf", "/usr/bin/ctperfd", "/etc/ctperf", "/lib/systemd/system/ctperfd.service",
                     "/usr/share/man/man8/ctperfd.8.gz", "/usr/lib/sysusers.d/ctperf.conf", Self.stateDir] {
            #expect(!FileManager.default.fileExists(atPath: path), "\(path) is left after purge")
        }
        #expect(!Self.packageKnown())

        // 2. Install again and configure it as a sysadmin would: a port, a PACS, short quiet time.
        _ = try Self.dpkg(["--install", deb])
        let pacsDir = work + "/pacs"
        try FileManager.default.createDirectory(atPath: pacsDir, withIntermediateDirectories: true)
        let pacsPort = try FreePort.next()
        let pacs = try NodeEndToEndTests.storescp(pacsDir, port: pacsPort)
        defer { pacs.stop() }
        let port = try FreePort.next()
        try Self.editConfig(port: port, pacsPort: pacsPort)
        let check = try ExternalTool.run("/usr/bin/ctperfd", ["--check-config"])
        #expect(check.status == 0 && check.stdout.contains("destinations: pacs"), "\(check.combined)")
        let edited = try Data(contentsOf: URL(fileURLWithPath: Self.config))

        // 3. Run it: under systemd where systemd runs, else as the service user.
        let node = try Self.startNode(port: port, log: work + "/ctperfd.log")
        let study = work + "/study"
        _ = try ExternalTool.runChecked("/usr/bin/ctperf", ["phantom", "--out", study, "--matrix", "64", "--slices", "8", "--frames", "20"])
        let sent = try ExternalTool.run("storescu", ["-aec", "CTPERF", "+sd", "+r", "127.0.0.1", "\(port)", study + "/DICOM"])
        #expect(sent.status == 0, "storescu: \(sent.combined)")
        try Poll.until(timeoutSeconds: 240, "5 Secondary Capture images and the SR in the PACS") {
            ((try? FileManager.default.contentsOfDirectory(atPath: pacsDir)) ?? []).count >= 6
        }
        let status = try ExternalTool.run("/usr/bin/ctperf", ["status"])
        #expect(status.status == 0 && status.stdout.contains("pacs"), "ctperf status: \(status.combined)")
        let results = try Self.files(under: Self.stateDir + "/results")
        #expect(results.contains { $0.hasSuffix("/metrics.json") }, "results: \(results)")
        for file in results {
            try Self.expectOwner(file, user: "ctperf", group: "ctperf", mode: 0o640)
        }
        #expect(try node.stop() == 0, "ctperfd stops cleanly on SIGTERM")

        // 4. Upgrade to a newer version: the edited configuration and the received data stay.
        let newer = try Self.repack(deb, version: version + "+upgrade1", work: work)
        _ = try Self.dpkg(["--install", newer])
        #expect(try ExternalTool.runChecked("dpkg-query", ["--show", "--showformat=${Version}", "ctperf"]) == version + "+upgrade1")
        #expect(try Data(contentsOf: URL(fileURLWithPath: Self.config)) == edited, "the upgrade changed the sysadmin's configuration")
        #expect(try Self.files(under: Self.stateDir + "/results") == results, "the upgrade touched the results")
        #expect(try ExternalTool.run("pgrep", ["-f", "^/usr/bin/ctperfd"]).status != 0, "the upgrade started ctperfd, which was stopped")

        // 5. Remove keeps the configuration; purge removes it and keeps the received data.
        _ = try Self.dpkg(["--remove", "ctperf"])
        #expect(!FileManager.default.fileExists(atPath: "/usr/bin/ctperfd"))
        #expect(FileManager.default.fileExists(atPath: Self.config), "dpkg --remove keeps the conffile")
        let purge = try Self.dpkg(["--purge", "ctperf"])
        #expect(!FileManager.default.fileExists(atPath: "/etc/ctperf"))
        #expect(purge.contains("/var/lib/ctperf kept"), "purge says it keeps received data: \(purge)")
        #expect(FileManager.default.fileExists(atPath: Self.stateDir + "/results"))
        #expect(!Self.packageKnown())
    }

    // MARK: - Checks

    /// Binaries, unit, conffile, man pages, docs: where Debian expects them, root-owned, and working.
    func checkInstalledFiles(version: String) throws {
        for binary in ["/usr/bin/ctperf", "/usr/bin/ctperfd"] {
            try Self.expectOwner(binary, user: "root", group: "root", mode: 0o755)
            let ldd = try ExternalTool.runChecked("ldd", [binary])
            #expect(!ldd.contains("not found") && !ldd.contains("libswift"), "\(binary): \(ldd)")
        }
        for file in [Self.config, "/lib/systemd/system/ctperfd.service", "/usr/lib/sysusers.d/ctperf.conf",
                     "/usr/lib/tmpfiles.d/ctperf.conf", "/usr/share/doc/ctperf/copyright", "/usr/share/doc/ctperf/INSTALL.md"] {
            try Self.expectOwner(file, user: "root", group: "root", mode: 0o644)
        }
        let conffiles = try ExternalTool.runChecked("dpkg-query", ["--show", "--showformat=${Conffiles}", "ctperf"])
        #expect(conffiles.contains(Self.config), "conffiles: \(conffiles)")
        let upstream = String(version.prefix { $0 != "-" })
        #expect(try ExternalTool.runChecked("/usr/bin/ctperf", ["--version"]).contains("ctperf \(upstream)"))
        let check = try ExternalTool.run("/usr/bin/ctperfd", ["--check-config"])
        #expect(check.status == 0 && check.stdout.contains("\(Self.config): valid"), "ctperfd --check-config: \(check.combined)")
        for (section, page) in [("1", "ctperf"), ("8", "ctperfd"), ("5", "ctperfd.toml")] {
            let path = try ExternalTool.run("man", ["-w", section, page])
            #expect(path.stdout.hasPrefix("/usr/share/man/man\(section)/\(page).\(section).gz"), "man -w \(section) \(page): \(path.combined)")
        }
        // The unit names the installed man pages and binaries; verify resolves all of them.
        if let analyze = ExternalTool.find("systemd-analyze") {
            let verify = try ExternalTool.run(analyze, ["verify", "/lib/systemd/system/ctperfd.service"])
            #expect(verify.status == 0, "systemd-analyze verify: \(verify.combined)")
        }
    }

    /// A system user with no login and the state directory it alone can enter.
    func checkServiceUser() throws {
        let entry = try ExternalTool.runChecked("getent", ["passwd", "ctperf"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let fields = entry.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        try #require(fields.count == 7, "passwd entry: \(entry)")
        #expect((Int(fields[2]) ?? 65534) < 1000, "a system uid: \(entry)")
        #expect(fields[5] == Self.stateDir && fields[6].hasSuffix("nologin"), "home and shell: \(entry)")
        try Self.expectOwner(Self.stateDir, user: "ctperf", group: "ctperf", mode: 0o750)
    }

    // MARK: - Helpers

    /// $CTPERF_DEB, or a package built now from a clean clone of HEAD.
    static func package(_ work: String) throws -> String {
        if let deb = ProcessInfo.processInfo.environment["CTPERF_DEB"], !deb.isEmpty {
            try #require(FileManager.default.fileExists(atPath: deb), "CTPERF_DEB=\(deb) does not exist")
            return deb
        }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let built = try ExternalTool.run(repo + "/scripts/build-deb.sh", ["--out", work + "/dist"])
        try #require(built.status == 0, "scripts/build-deb.sh: \(built.combined)")
        let debs = try FileManager.default.contentsOfDirectory(atPath: work + "/dist").filter { $0.hasSuffix(".deb") }
        try #require(debs.count == 1, "build-deb.sh wrote \(debs)")
        return work + "/dist/" + debs[0]
    }

    /// Whether dpkg knows a ctperf package in any state (installed or config-files).
    static func packageKnown() -> Bool {
        ((try? ExternalTool.run("dpkg-query", ["--show", "--showformat=${Status}", "ctperf"]))?.stdout ?? "")
            .contains("installed")
    }

    /// dpkg with its output; a failure fails the test with dpkg's words.
    @discardableResult
    static func dpkg(_ args: [String]) throws -> String {
        let r = try ExternalTool.run("dpkg", args)
        try #require(r.status == 0, "dpkg \(args.joined(separator: " ")): \(r.combined)")
        return r.combined
    }

    /// The edits docs/INSTALL.md tells a sysadmin to make, done on the installed conffile.
    static func editConfig(port: Int, pacsPort: Int) throws {
        var text = try String(contentsOfFile: config, encoding: .utf8)
        for (old, new) in [("port = 11112", "port = \(port)"), ("quiet_seconds = 20", "quiet_seconds = 3"),
                           ("min_free_disk_mb = 1024", "min_free_disk_mb = 0")] {
            let lines = text.components(separatedBy: "\n")
            try #require(lines.filter { $0 == old }.count == 1, "the packaged config has one line '\(old)'")
            text = lines.map { $0 == old ? new : $0 }.joined(separator: "\n")
        }
        text += "\n[[destination]]\nname = \"pacs\"\nae_title = \"PACS\"\nhost = \"127.0.0.1\"\nport = \(pacsPort)\n"
        try text.write(toFile: config, atomically: false, encoding: .utf8)
    }

    /// The installed node, started the way this machine starts services.
    struct RunningNode {
        var peer: Peer?
        func stop() throws -> Int32 {
            if let peer { return peer.stop() }
            return try ExternalTool.run("systemctl", ["stop", "ctperfd.service"]).status
        }
    }

    static func startNode(port: Int, log: String) throws -> RunningNode {
        let node: RunningNode
        if FileManager.default.fileExists(atPath: "/run/systemd/system") {
            _ = try ExternalTool.runChecked("systemctl", ["start", "ctperfd.service"])
            node = RunningNode(peer: nil)
        } else {
            // No systemd here: what the unit does — the service user, the packaged configuration.
            node = RunningNode(peer: try Peer("ctperfd", "/usr/bin/setpriv",
                                              ["--reuid=ctperf", "--regid=ctperf", "--init-groups", "/usr/bin/ctperfd"],
                                              logPath: log))
        }
        try Poll.until(timeoutSeconds: 30, "the installed ctperfd to answer C-ECHO") {
            (try? ExternalTool.run("echoscu", ["-aec", "CTPERF", "127.0.0.1", "\(port)"]).status) == 0
        }
        return node
    }

    /// The same package with a higher version, as the next release would be.
    static func repack(_ deb: String, version: String, work: String) throws -> String {
        let tree = work + "/repack"
        _ = try ExternalTool.runChecked("dpkg-deb", ["--raw-extract", deb, tree])
        let control = tree + "/DEBIAN/control"
        let text = try String(contentsOfFile: control, encoding: .utf8).components(separatedBy: "\n")
            .map { $0.hasPrefix("Version: ") ? "Version: \(version)" : $0 }.joined(separator: "\n")
        try text.write(toFile: control, atomically: false, encoding: .utf8)
        let out = work + "/ctperf_upgrade.deb"
        _ = try ExternalTool.runChecked("dpkg-deb", ["--root-owner-group", "-Zgzip", "-z1", "--build", tree, out])
        return out
    }

    static func files(under dir: String) throws -> [String] {
        guard let e = FileManager.default.enumerator(atPath: dir) else { return [] }
        var out: [String] = []
        while let p = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir + "/" + p, isDirectory: &isDir), !isDir.boolValue { out.append(dir + "/" + p) }
        }
        return out.sorted()
    }

    static func expectOwner(_ path: String, user: String, group: String, mode: Int,
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
        let a = try FileManager.default.attributesOfItem(atPath: path)
        let actualMode = (a[.posixPermissions] as? NSNumber)?.intValue ?? -1
        let owner = a[.ownerAccountName] as? String ?? "?", grp = a[.groupOwnerAccountName] as? String ?? "?"
        #expect(owner == user && grp == group && actualMode == mode,
                "\(path): \(owner):\(grp) \(String(actualMode, radix: 8)), expected \(user):\(group) \(String(mode, radix: 8))",
                sourceLocation: sourceLocation)
    }
}
