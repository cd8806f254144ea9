import Foundation
import Phantom
import TestSupport
import Testing
@testable import DICOM

/// Hostile bytes through the parsing path the daemon uses on every stored instance (the
/// collector's header read) and the analysis' pixel read: a seeded, bounded fuzz run. A crash
/// ends the test process, so passing means every input came back as a header or an error.
struct FuzzTests {
    enum Mutation: CaseIterable { case flipBits, overwriteLength, truncate, insertBytes, randomTail }

    static func mutate(_ source: [UInt8], _ rng: inout SeededRandom) -> [UInt8] {
        var b = source
        // Most structure (meta header, identifying and geometry elements) is in the first 2 KB.
        func position() -> Int {
            Bool.random(using: &rng) ? Int.random(in: 0..<min(2048, b.count), using: &rng) : Int.random(in: 0..<b.count, using: &rng)
        }
        switch Mutation.allCases.randomElement(using: &rng)! {
        case .flipBits:
            for _ in 0..<Int.random(in: 1...8, using: &rng) { b[position()] ^= UInt8(1) << UInt8.random(in: 0...7, using: &rng) }
        case .overwriteLength:
            // Element lengths are 2 or 4 bytes after the tag (and VR): plant absurd values.
            let p = min(position(), b.count - 4)
            let value: UInt32 = [0xFFFF_FFFF, 0xFFFF_FFFE, 0x7FFF_FFFF, UInt32.random(in: 0...UInt32.max, using: &rng), 0][Int.random(in: 0...4, using: &rng)]
            for k in 0..<4 { b[p + k] = UInt8((value >> (8 * UInt32(k))) & 0xFF) }
        case .truncate:
            b = Array(b.prefix(Int.random(in: 0..<b.count, using: &rng)))
        case .insertBytes:
            let p = position()
            b.insert(contentsOf: (0..<Int.random(in: 1...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: p)
        case .randomTail:
            // A DICOM preamble and "DICM", then random bytes.
            let keep = Int.random(in: 132...min(600, b.count), using: &rng)
            b = Array(b.prefix(keep)) + (0..<Int.random(in: 0...4096, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        }
        return b
    }

    @Test func tenThousandMutatedInstancesNeverCrashTheReader() throws {
        let dir = TemporaryDirectory.make("ctperf-fuzz")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var request = PhantomRequest()
        request.spec.matrix = 64
        request.spec.slices = 2
        request.spec.frames = 10
        var seeds: [[UInt8]] = []
        for (layout, ts) in [(StudyLayout.siemens, PhantomTransferSyntax.explicit), (.ge, .implicit), (.enhanced, .jpegLS), (.philips, .rle)] {
            request.layout = layout
            request.transferSyntax = ts
            let report = try StudyWriter.write(request, model: try PhantomOutput.model(for: request), to: dir + "/\(layout.rawValue)")
            let first = try #require(try FolderScanner.listFiles(root: report.dicomDirectory).first)
            seeds.append(Array(try Data(contentsOf: URL(fileURLWithPath: first))))
        }
        var rng = SeededRandom(seed: 20261125)
        var headers = 0, errors = 0, pixelsRead = 0
        let path = dir + "/mutated.dcm"
        for i in 0..<10_000 {
            let bytes = Self.mutate(seeds[i % seeds.count], &rng)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                let h = try InstanceHeader.read(path: path)
                headers += 1
                // Every 10th readable one also goes through the pixel decoder, as the analysis would.
                if i % 10 == 0, h.rows * h.columns > 0, h.rows * h.columns <= 1 << 20 {
                    let f = try DicomFile(path: path)
                    var out = [Float](repeating: 0, count: h.rows * h.columns)
                    let decoded = out.withUnsafeMutableBufferPointer { buffer in
                        (try? f.readFrame(0, slope: 1, intercept: 0, into: buffer)) != nil
                    }
                    if decoded { pixelsRead += 1 }
                }
            } catch {
                errors += 1
                #expect(!"\(error)".isEmpty)
            }
        }
        print("fuzz: 10,000 mutated instances (seed 20261125): \(headers) headers read, \(errors) refused with a reason, \(pixelsRead) frames decoded")
        #expect(headers + errors == 10_000)
        #expect(errors > 1000 && headers > 1000, "the mutations must exercise both outcomes")
    }
}
