#if canImport(Glibc)
import Glibc
#endif
import FileSystem
import Foundation
import Synchronization

/// What the receiver knows of one incoming C-STORE before it is kept.
public struct IncomingInstance: Sendable, Equatable {
    public var affectedSOPClassUID: String       // from the command
    public var affectedSOPInstanceUID: String    // from the command
    public var sopClassUID: String               // from the dataset ("" when absent)
    public var sopInstanceUID: String
    public var studyInstanceUID: String
    public var seriesInstanceUID: String
    /// Rows x Columns x NumberOfFrames claimed by the dataset (0 when it has no image).
    public var pixelCount: Int = 0
    public var callingAETitle: String
    public var peerAddress: String
    public var associationID: UInt64

    public init(affectedSOPClassUID: String, affectedSOPInstanceUID: String, sopClassUID: String, sopInstanceUID: String,
                studyInstanceUID: String, seriesInstanceUID: String, callingAETitle: String, peerAddress: String,
                associationID: UInt64) {
        self.affectedSOPClassUID = affectedSOPClassUID; self.affectedSOPInstanceUID = affectedSOPInstanceUID
        self.sopClassUID = sopClassUID; self.sopInstanceUID = sopInstanceUID
        self.studyInstanceUID = studyInstanceUID; self.seriesInstanceUID = seriesInstanceUID
        self.callingAETitle = callingAETitle; self.peerAddress = peerAddress; self.associationID = associationID
    }
}

/// The DIMSE status a C-STORE is answered with, and the ErrorComment.
public struct StoreVerdict: Sendable, Equatable {
    public var status: UInt16
    public var comment: String?
    public static let success = StoreVerdict(status: 0x0000, comment: nil)
    /// Out of resources (disk full, below the free-space watermark, unwritable).
    public static func outOfResources(_ why: String) -> StoreVerdict { StoreVerdict(status: 0xA700, comment: why) }
    /// Data set does not match SOP class.
    public static func classMismatch(_ why: String) -> StoreVerdict { StoreVerdict(status: 0xA900, comment: why) }
    /// Cannot understand (unusable dataset, bad UID).
    public static func cannotUnderstand(_ why: String) -> StoreVerdict { StoreVerdict(status: 0xC000, comment: why) }
}

/// Keeps received instances: validates the identifiers, refuses when the disk is below its
/// watermark, writes incoming/<study>/<series>/<sop>.dcm durably (temp, fsync, rename, fsync dir)
/// and only then answers Success (DESIGN.md section 3). Called on association threads.
public final class InstanceStore: Sendable {
    public struct Counters: Sendable, Equatable {
        public var stored = 0
        public var refused = 0
        public var bytes = 0
    }

    let layout: StateLayout
    let inbox: ArrivalInbox
    let log: Log
    let minFreeDiskMB: Mutex<Int>
    let maxImagePixels = Mutex<Int>(1 << 30)
    let counters = Mutex(Counters())

    public init(layout: StateLayout, minFreeDiskMB: Int, inbox: ArrivalInbox, log: Log) {
        self.layout = layout
        self.inbox = inbox
        self.log = log
        self.minFreeDiskMB = Mutex(minFreeDiskMB)
    }

    public func update(minFreeDiskMB value: Int) { minFreeDiskMB.withLock { $0 = value } }
    public func update(maxImagePixels value: Int) { maxImagePixels.withLock { $0 = value } }

    public var figures: Counters { counters.withLock { $0 } }

    /// Keeps one instance. `write` receives the bytes' consumer: it is called with a closure that
    /// writes the Part 10 file bytes it is given to the (temporary) file.
    public func store(_ i: IncomingInstance,
                      bytes: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) -> StoreVerdict {
        let verdict = keep(i, bytes: bytes)
        counters.withLock { c in
            if verdict.status == 0 { c.stored += 1 } else { c.refused += 1 }
        }
        if verdict.status != 0 {
            log.warning("instance-refused", ["association": i.associationID, "calling_ae": i.callingAETitle,
                                             "peer": i.peerAddress, "study": InstanceStore.printable(i.studyInstanceUID),
                                             "sop": InstanceStore.printable(i.affectedSOPInstanceUID),
                                             "status": String(format: "0x%04X", verdict.status),
                                             "reason": verdict.comment ?? ""])
        }
        return verdict
    }

    func keep(_ i: IncomingInstance, bytes: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) -> StoreVerdict {
        for (name, uid) in [("SOPClassUID", i.sopClassUID), ("SOPInstanceUID", i.sopInstanceUID),
                            ("StudyInstanceUID", i.studyInstanceUID), ("SeriesInstanceUID", i.seriesInstanceUID)] {
            if uid.isEmpty { return .cannotUnderstand("dataset has no \(name)") }
            if !InstanceStore.isSafeUID(uid) {
                return .cannotUnderstand("\(name) is not a UID (digits and dots, at most 64 characters)")
            }
        }
        if i.affectedSOPInstanceUID != i.sopInstanceUID {
            return .cannotUnderstand("SOPInstanceUID of the dataset differs from the command's AffectedSOPInstanceUID")
        }
        if i.affectedSOPClassUID != i.sopClassUID {
            return .classMismatch("SOPClassUID of the dataset differs from the command's AffectedSOPClassUID")
        }
        let limit = maxImagePixels.withLock { $0 }
        if i.pixelCount > limit {
            return .classMismatch("image of \(i.pixelCount) pixels (Rows x Columns x NumberOfFrames) exceeds node.max_image_pixels (\(limit))")
        }
        let watermark = minFreeDiskMB.withLock { $0 }
        if let free = freeDiskMiB(layout.root), free < Double(watermark) {
            return .outOfResources("free disk space \(Int(free)) MiB is below node.min_free_disk_mb (\(watermark) MiB)")
        }
        let path = layout.instancePath(study: i.studyInstanceUID, series: i.seriesInstanceUID, sop: i.sopInstanceUID)
        var written = 0
        do {
            try Directory.create(DurableFile.directoryOf(path))
            try DurableFile.write(to: path) { temp in
                let fd = try PosixFile.openFile(temp, flags: O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode: 0o640)
                do {
                    try bytes { buffer in
                        try PosixFile.writeAll(fd, buffer, path: temp)
                        written += buffer.count
                    }
                    try PosixFile.closeFile(fd, path: temp)   // DurableFile fsyncs it before the rename
                } catch {
                    PosixFile.closeIgnoringErrors(fd)
                    throw error
                }
                FaultPoint.hit("receiver.before-rename")
            }
        } catch let e as FileSystemError {
            return .outOfResources(e.errorNumber == ENOSPC ? "disk full: \(e.call) failed" : "cannot write the instance: \(e.call) failed (\(String(cString: strerror(e.errorNumber))))")
        } catch {
            return .outOfResources("cannot write the instance: \(error)")
        }
        counters.withLock { $0.bytes += written }
        inbox.post(Arrival(relativePath: "incoming/\(i.studyInstanceUID)/\(i.seriesInstanceUID)/\(i.sopInstanceUID).dcm",
                           studyInstanceUID: i.studyInstanceUID, at: Date()))
        log.debug("instance-stored", ["association": i.associationID, "study": i.studyInstanceUID,
                                      "series": i.seriesInstanceUID, "sop": i.sopInstanceUID, "bytes": written])
        return .success
    }

    /// Digits and dots, no empty component, at most 64 characters: safe as a file name (no "/",
    /// no ".."). Leading zeros are tolerated (seen from real modalities, harmless here).
    public static func isSafeUID(_ uid: String) -> Bool {
        guard !uid.isEmpty, uid.utf8.count <= 64 else { return false }
        return uid.split(separator: ".", omittingEmptySubsequences: false).allSatisfy {
            !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
        }
    }

    /// A value safe to print in a log line (hostile input may hold anything).
    static func printable(_ s: String) -> String {
        String(s.prefix(64).map { $0.isASCII && !$0.isNewline && ($0.isLetter || $0.isNumber || ".-_".contains($0)) ? $0 : "?" })
    }
}
