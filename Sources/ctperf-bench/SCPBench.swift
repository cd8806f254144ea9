import DICOM
import FileSystem
import Foundation
import Phantom

/// Receiving a study: DCMTK's storescp against our StoreSCP writing every file durably, both fed
/// by the same storescu, same files, same file system.
enum SCPBench {
    static func run() throws {
        let size = Int(option("size", "512"))!
        let slices = Int(option("slices", "20"))!
        let frames = Int(option("frames", "30"))!
        let rounds = Int(option("rounds", "3"))!
        let breakdown = CommandLine.arguments.contains("--breakdown")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ctperf-bench-scp-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: root) }

        var request = PhantomRequest()
        request.phantomCase = .strokeLeft
        request.spec.matrix = size
        request.spec.slices = slices
        request.spec.frames = frames
        let report = try StudyWriter.write(request, model: try PhantomOutput.model(for: request), to: root + "/study")
        let files = try FolderScanner.listFiles(root: report.dicomDirectory).sorted()
        var bytes = 0
        for f in files { bytes += try Data(contentsOf: URL(fileURLWithPath: f)).count }   // warm the page cache
        sync()   // the phantom's write-back must not run during the measurement
        let mb = Double(bytes) / 1e6

        print("ctperf-bench scp: \(size)x\(size), \(slices) slices x \(frames) frames = \(files.count) files, \(String(format: "%.0f", mb)) MB, storescu -> receiver on 127.0.0.1, TCP_NODELAY=1")
        print("storescp: DCMTK defaults (16 KiB PDU, no fsync); StoreSCP: 128 KiB PDU, each file temp -> fsync -> rename -> dir fsync")
        if breakdown {
            print("breakdown: StoreSCP also with a delegate that writes without fsync, and one that only encodes the file in memory")
        }
        print("round  receiver             seconds  images/s   MB/s")
        var best: [String: Double] = [:]
        for round in 1...rounds {
            var receivers: [(String, (String) throws -> Double)] = [
                ("storescp", { try storescp(files, directory: $0) }),
                ("StoreSCP", { try ours(files, directory: $0, keeping: .durable) }),
            ]
            if breakdown {
                receivers.append(("StoreSCP no fsync", { try ours(files, directory: $0, keeping: .written) }))
                receivers.append(("StoreSCP encode only", { try ours(files, directory: $0, keeping: .encoded) }))
            }
            for (index, (name, receive)) in receivers.enumerated() {
                let directory = root + "/received-\(round)-\(index)"
                sync()   // write-back of earlier rounds must not run during this one
                let seconds = try receive(directory)
                print(String(format: "%5d  ", round) + name.padding(toLength: 20, withPad: " ", startingAt: 0) +
                      String(format: " %8.2f %9.0f %6.0f", seconds, Double(files.count) / seconds, mb / seconds))
                best[name] = min(best[name] ?? .infinity, seconds)
                try? FileManager.default.removeItem(atPath: directory)
            }
        }
        let theirs = best["storescp"]!, mine = best["StoreSCP"]!
        print(String(format: "best   storescp %.0f images/s %.0f MB/s; StoreSCP %.0f images/s %.0f MB/s; StoreSCP/storescp = %.0f %%",
                     Double(files.count) / theirs, mb / theirs, Double(files.count) / mine, mb / mine, 100 * theirs / mine))
    }

    /// storescp as a child writing to `directory`; returns storescu's wall time.
    static func storescp(_ files: [String], directory: String) throws -> Double {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let port = try freePort()
        let child = Process()
        child.executableURL = URL(fileURLWithPath: try which("storescp"))
        child.arguments = ["-aet", "STORESCP", "-od", directory, String(port)]
        child.environment = ProcessInfo.processInfo.environment.merging(["TCP_NODELAY": "1"]) { $1 }
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        defer {
            kill(child.processIdentifier, SIGKILL)   // our child, by its id; it has written everything
            child.waitUntilExit()
        }
        try waitUntilListening(port: port, aeTitle: "STORESCP")
        let seconds = try storescu(files, port: port, aeTitle: "STORESCP")
        try expectFiles(files.count, in: directory)
        return seconds
    }

    /// Our StoreSCP in this process, keeping files in `directory` as told; returns storescu's wall time.
    static func ours(_ files: [String], directory: String, keeping: DurableStoreDelegate.Keeping) throws -> Double {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let port = try freePort()
        let delegate = DurableStoreDelegate(directory: directory, keeping: keeping)
        let scp = StoreSCP(settings: StoreSCPSettings(port: port), delegate: delegate)
        try scp.start()
        defer { scp.stop(waitSeconds: 10) }
        try waitUntilListening(port: port, aeTitle: "CTPERF")
        let seconds = try storescu(files, port: port, aeTitle: "CTPERF")
        if keeping != .encoded { try expectFiles(files.count, in: directory) }
        return seconds
    }

    static func storescu(_ files: [String], port: Int, aeTitle: String) throws -> Double {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try which("storescu"))
        p.arguments = ["-aec", aeTitle, "127.0.0.1", String(port)] + files
        p.environment = ProcessInfo.processInfo.environment.merging(["TCP_NODELAY": "1"]) { $1 }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        let elapsed = try seconds {
            try p.run()
            p.waitUntilExit()
        }
        guard p.terminationStatus == 0 else { throw BenchFailure("storescu to \(aeTitle) exited with \(p.terminationStatus)") }
        return elapsed
    }

    static func waitUntilListening(port: Int, aeTitle: String) throws {
        let target = StoreSCUTarget(callingAETitle: "BENCH", calledAETitle: aeTitle, host: "127.0.0.1", port: port, timeoutSeconds: 2)
        let deadline = Date().addingTimeInterval(10)
        while true {
            do { return try StoreSCU.echo(target) } catch {
                if Date() > deadline { throw BenchFailure("\(aeTitle) on port \(port) does not answer: \(error)") }
                usleep(20_000)
            }
        }
    }

    static func expectFiles(_ count: Int, in directory: String) throws {
        let found = try FileManager.default.contentsOfDirectory(atPath: directory).filter { !$0.hasPrefix(".") }.count
        guard found == count else { throw BenchFailure("\(directory) holds \(found) files, \(count) were sent") }
    }

    static func which(_ name: String) throws -> String {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw BenchFailure("\(name) not found on PATH (install dcmtk)")
    }

    /// A port free now: bind port 0 on 127.0.0.1 and read what the kernel chose.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchFailure("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else { throw BenchFailure("cannot bind a port on 127.0.0.1") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Keeps each received instance the way the daemon will: temp file, fsync, rename, directory
/// fsync (FileSystem's DurableFile), answering success only afterwards. For the breakdown it can
/// also skip the fsyncs, or only encode the file in memory. Sendable: only immutable state.
final class DurableStoreDelegate: StoreSCPDelegate {
    enum Keeping: Sendable { case durable, written, encoded }

    let directory: String
    let keeping: Keeping

    init(directory: String, keeping: Keeping) {
        self.directory = directory
        self.keeping = keeping
    }

    func decide(_ association: AssociationInfo) -> AssociationDecision { .accept }

    func store(_ request: borrowing StoreRequest) -> StoreResponse {
        guard UID.isValid(request.sopInstanceUID) else {
            return StoreResponse(status: 0xC000, errorComment: "invalid SOP Instance UID")
        }
        let path = directory + "/" + request.sopInstanceUID + ".dcm"
        do {
            switch keeping {
            case .encoded:
                _ = try request.withFileBytes { $0.count }
                return .success
            case .written:
                try request.withFileBytes { bytes in
                    let fd = try PosixFile.openFile(path, flags: O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode: 0o644)
                    defer { PosixFile.closeIgnoringErrors(fd) }
                    try PosixFile.writeAll(fd, bytes, path: path)
                }
                return .success
            case .durable:
                break
            }
            try request.withFileBytes { bytes in
                try DurableFile.write(to: path) { temporary in
                    let fd = try PosixFile.openFile(temporary, flags: O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode: 0o644)
                    do {
                        try PosixFile.writeAll(fd, bytes, path: temporary)
                    } catch {
                        PosixFile.closeIgnoringErrors(fd)
                        throw error
                    }
                    try PosixFile.closeFile(fd, path: temporary)
                }
            }
            return .success
        } catch {
            return StoreResponse(status: 0xA700, errorComment: "\(error)")
        }
    }

    func event(_ event: SCPEvent, association: AssociationInfo?) {
        if case .aborted(let why) = event { FileHandle.standardError.write(Data("StoreSCP: aborted: \(why)\n".utf8)) }
    }
}
