import Foundation
import TestSupport
import Testing
@testable import Outputs

@Suite struct GzipTests {
    @Test func roundTripOfTextAndBinary() throws {
        let text = Array(String(repeating: "ctperf gzip round trip ", count: 500).utf8)
        var binary = [UInt8](repeating: 0, count: 3_000_000)   // spans many 256 KiB output chunks
        var x: UInt32 = 12345
        for n in binary.indices { x = x &* 1_103_515_245 &+ 12345; binary[n] = UInt8(truncatingIfNeeded: x >> 16) }
        for input in [text, binary, []] {
            let packed = try Gzip.compress(input)
            #expect(Gzip.isGzip(packed))
            #expect(try Gzip.decompress(packed) == input)
        }
        #expect(try Gzip.compress(text).count < text.count / 10)
    }

    @Test func dataOverloadsRoundTrip() throws {
        let data = Data((0..<10_000).map { UInt8($0 % 251) })
        #expect(try Gzip.decompress(Gzip.compress(data, level: 9)) == data)
    }

    @Test func concatenatedMembersAreJoinedLikeGunzip() throws {
        let a = Array("first member ".utf8), b = Array("second member".utf8)
        let joined = try Gzip.compress(a) + Gzip.compress(b)
        #expect(try Gzip.decompress(joined) == a + b)
    }

    @Test func gunzipOutputIsReadable() throws {
        // Interoperability with the system's gzip (an essential Debian package), both directions.
        let gzip = try #require(ExternalTool.find("gzip"), "gzip not found on PATH")
        try withTempDirectory { dir in
            let payload = Array(String(repeating: "interop ", count: 1000).utf8)
            try writeBytes(try Gzip.compress(payload), to: dir + "/a.gz")
            _ = try ExternalTool.runChecked(gzip, ["-t", dir + "/a.gz"])
            try writeBytes(payload, to: dir + "/b")
            _ = try ExternalTool.runChecked(gzip, ["-n", dir + "/b"])
            #expect(try Gzip.decompress(readBytes(dir + "/b.gz")) == payload)
        }
    }

    @Test func corruptStreamNamesTheZlibCall() throws {
        var packed = try Gzip.compress(Array(String(repeating: "abc", count: 1000).utf8))
        for n in 12..<min(40, packed.count - 8) { packed[n] ^= 0x5a }
        let error = try #require(throws: OutputsError.self) { try Gzip.decompress(packed) }
        #expect(error.code == .gzip)
        #expect(error.message.contains("inflate"))
    }

    @Test func truncatedStreamIsReported() throws {
        let packed = try Gzip.compress(Array(String(repeating: "abc", count: 1000).utf8))
        let error = try #require(throws: OutputsError.self) { try Gzip.decompress(Array(packed.prefix(packed.count / 2))) }
        #expect(error.code == .truncated)
        #expect(error.message.contains("truncated gzip stream"))
    }
}
