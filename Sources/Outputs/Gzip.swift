import CZlib
import Foundation

/// gzip (RFC 1952) compression and decompression of whole buffers with zlib. Both directions
/// stream through fixed-size chunks, so memory beyond input and output stays small.
public enum Gzip {
    /// True when the bytes start with the gzip magic number (1f 8b).
    public static func isGzip<C: Collection>(_ prefix: C) -> Bool where C.Element == UInt8 {
        var it = prefix.makeIterator()
        return it.next() == 0x1f && it.next() == 0x8b
    }

    /// Compresses to a gzip stream. `level` is zlib's 0 (store) ... 9 (smallest), default 6.
    public static func compress(_ bytes: [UInt8], level: Int32 = 6) throws -> [UInt8] {
        let deflater = try GzipDeflater(level: level)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count / 2 + 64)
        try bytes.withUnsafeBytes { input in
            try deflater.compress(input, finish: true) { out.appendBytes($0) }
        }
        return out
    }

    public static func compress(_ data: Data, level: Int32 = 6) throws -> Data {
        Data(try compress([UInt8](data), level: level))
    }

    /// Decompresses a gzip (or zlib) stream; concatenated gzip members are joined, as gunzip does.
    public static func decompress(_ bytes: [UInt8]) throws -> [UInt8] {
        let inflater = try GzipInflater()
        var out: [UInt8] = []
        out.reserveCapacity(sizeHint(bytes))
        try bytes.withUnsafeBytes { input in
            try inflater.decompress(input) { out.appendBytes($0) }
        }
        try inflater.finish()
        return out
    }

    public static func decompress(_ data: Data) throws -> Data {
        Data(try decompress([UInt8](data)))
    }

    /// The uncompressed size recorded in the last gzip member's trailer (ISIZE, modulo 2^32),
    /// capped; used only to reserve capacity.
    static func sizeHint(_ bytes: [UInt8]) -> Int {
        guard bytes.count >= 18 else { return 0 }
        let n = bytes.count
        let isize = Int(bytes[n - 4]) | Int(bytes[n - 3]) << 8 | Int(bytes[n - 2]) << 16 | Int(bytes[n - 1]) << 24
        return min(isize, 1 << 30)
    }

    static let chunkSize = 1 << 18

    /// Turns a zlib return code into an error naming the call.
    static func failure(_ call: String, _ status: Int32, _ strm: UnsafeMutablePointer<z_stream>) -> OutputsError {
        let detail = strm.pointee.msg.map { String(cString: $0) } ?? zlibStatusName(status)
        return OutputsError(.gzip, "zlib \(call) failed: \(detail) (status \(status))")
    }

    static func zlibStatusName(_ status: Int32) -> String {
        switch status {
        case Z_STREAM_ERROR: return "stream error"
        case Z_DATA_ERROR: return "corrupt data"
        case Z_MEM_ERROR: return "out of memory"
        case Z_BUF_ERROR: return "no progress possible"
        case Z_VERSION_ERROR: return "zlib version mismatch"
        case Z_NEED_DICT: return "needs a preset dictionary"
        default: return "unknown error"
        }
    }
}

/// A streaming gzip compressor (deflateInit2 with windowBits 15+16). The z_stream lives at a
/// fixed heap address because zlib keeps a pointer back to it.
final class GzipDeflater {
    private let strm: UnsafeMutablePointer<z_stream>
    private let outBuffer: UnsafeMutablePointer<UInt8>

    init(level: Int32 = 6) throws {
        strm = .allocate(capacity: 1)
        strm.initialize(to: z_stream())
        outBuffer = .allocate(capacity: Gzip.chunkSize)
        let status = deflateInit2_(strm, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                   zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            let error = Gzip.failure("deflateInit2", status, strm)
            strm.deallocate()
            outBuffer.deallocate()
            throw error
        }
    }

    deinit {
        deflateEnd(strm)
        strm.deallocate()
        outBuffer.deallocate()
    }

    /// Feeds `input`; compressed bytes go to `output` chunk by chunk. Pass `finish: true` with the
    /// last piece of input (possibly empty) to write the gzip trailer.
    func compress(_ input: UnsafeRawBufferPointer, finish: Bool,
                  output: (UnsafeRawBufferPointer) throws -> Void) throws {
        var offset = 0
        repeat {
            // avail_in is 32-bit: feed at most 1 GiB at a time.
            let piece = min(input.count - offset, 1 << 30)
            let isLast = offset + piece == input.count
            strm.pointee.next_in = piece > 0
                ? UnsafeMutablePointer(mutating: input.baseAddress!.advanced(by: offset)
                    .assumingMemoryBound(to: UInt8.self))
                : nil
            strm.pointee.avail_in = UInt32(piece)
            let flush = finish && isLast ? Z_FINISH : Z_NO_FLUSH
            while true {
                strm.pointee.next_out = outBuffer
                strm.pointee.avail_out = UInt32(Gzip.chunkSize)
                let status = deflate(strm, flush)
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                    throw Gzip.failure("deflate", status, strm)
                }
                let produced = Gzip.chunkSize - Int(strm.pointee.avail_out)
                if produced > 0 { try output(UnsafeRawBufferPointer(start: outBuffer, count: produced)) }
                if status == Z_STREAM_END { break }
                if flush == Z_NO_FLUSH && strm.pointee.avail_in == 0 && strm.pointee.avail_out > 0 { break }
            }
            offset += piece
        } while offset < input.count
    }
}

/// A streaming gzip/zlib decompressor (inflateInit2 with windowBits 15+32: header auto-detected).
final class GzipInflater {
    private let strm: UnsafeMutablePointer<z_stream>
    private let outBuffer: UnsafeMutablePointer<UInt8>
    /// True between members (at start and after each Z_STREAM_END).
    private var atMemberBoundary = true
    private var sawInput = false

    init() throws {
        strm = .allocate(capacity: 1)
        strm.initialize(to: z_stream())
        outBuffer = .allocate(capacity: Gzip.chunkSize)
        let status = inflateInit2_(strm, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            let error = Gzip.failure("inflateInit2", status, strm)
            strm.deallocate()
            outBuffer.deallocate()
            throw error
        }
    }

    deinit {
        inflateEnd(strm)
        strm.deallocate()
        outBuffer.deallocate()
    }

    /// Feeds the next piece of compressed input; decompressed bytes go to `output`.
    func decompress(_ input: UnsafeRawBufferPointer, output: (UnsafeRawBufferPointer) throws -> Void) throws {
        var offset = 0
        while offset < input.count {
            let piece = min(input.count - offset, 1 << 30)
            strm.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.advanced(by: offset)
                .assumingMemoryBound(to: UInt8.self))
            strm.pointee.avail_in = UInt32(piece)
            sawInput = true
            while strm.pointee.avail_in > 0 {
                if atMemberBoundary {
                    // Bytes after a complete member: another member starts (RFC 1952 2.2).
                    let status = inflateReset(strm)
                    guard status == Z_OK else { throw Gzip.failure("inflateReset", status, strm) }
                    atMemberBoundary = false
                }
                strm.pointee.next_out = outBuffer
                strm.pointee.avail_out = UInt32(Gzip.chunkSize)
                let status = inflate(strm, Z_NO_FLUSH)
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                    throw Gzip.failure("inflate", status, strm)
                }
                let produced = Gzip.chunkSize - Int(strm.pointee.avail_out)
                if produced > 0 { try output(UnsafeRawBufferPointer(start: outBuffer, count: produced)) }
                if status == Z_STREAM_END { atMemberBoundary = true }
                if status == Z_BUF_ERROR && produced == 0 {
                    throw OutputsError(.gzip, "zlib inflate failed: no progress with input left (corrupt gzip stream)")
                }
            }
            offset += piece
        }
    }

    /// Checks that the input ended at the end of a complete gzip member.
    func finish() throws {
        guard sawInput else { throw OutputsError(.gzip, "zlib inflate failed: empty input, not a gzip stream") }
        guard atMemberBoundary else {
            throw OutputsError(.truncated, "truncated gzip stream (zlib inflate reached the end of input before the gzip trailer)")
        }
    }
}

extension Array where Element == UInt8 {
    /// Appends raw bytes with one copy (an untyped buffer would be appended byte by byte).
    mutating func appendBytes(_ bytes: UnsafeRawBufferPointer) {
        append(contentsOf: bytes.assumingMemoryBound(to: UInt8.self))
    }
}
