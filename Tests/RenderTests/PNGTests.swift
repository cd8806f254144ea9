import Foundation
import Testing
@testable import Render

struct PNGTests {
    private func temporaryDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("render-png-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A 6 x 4 test card: every pixel a different colour.
    private var card: RGBImage {
        var rgb: [UInt8] = []
        for y in 0..<4 { for x in 0..<6 { rgb += [UInt8(x * 40), UInt8(y * 60), UInt8(255 - x * 10 - y)] } }
        return RGBImage(width: 6, height: 4, rgb: rgb)
    }

    @Test func writtenFileHasPNGSignatureAndIHDRSizeAndReadsBackExactly() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = "\(dir)/card.png"
        try card.writePNG(to: path)

        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(String(decoding: bytes[12..<16], as: UTF8.self) == "IHDR")
        let be = { (o: Int) in bytes[o..<(o + 4)].reduce(0) { $0 << 8 | Int($1) } }
        #expect(be(16) == 6 && be(20) == 4)
        #expect(try RGBImage(contentsOfPNG: path) == card)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["card.png"])
    }

    @Test func overwritesAtomicallyAndLeavesNoTemporaryFiles() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = "\(dir)/page.png"
        try card.writePNG(to: path)
        let page = try Pages.mapPage(SyntheticHead(nx: 32, ny: 32, nz: 3).tmax, brain: nil, colormap: .tmax,
                                     range: 0...10, title: "Tmax", unit: "s", footer: "")
        try page.writePNG(to: path)
        let back = try RGBImage(contentsOfPNG: path)
        #expect(back.width == 1024 && back.height == 1024)
        #expect(back == page)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["page.png"])
    }

    @Test func unwritableTargetThrowsAndLeavesNothing() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: RenderError.self) { try card.writePNG(to: "\(dir)/missing/sub/x.png") }
        // Renaming over a directory fails after the temporary file was written: it must be gone.
        try FileManager.default.createDirectory(atPath: "\(dir)/taken.png", withIntermediateDirectories: false)
        _ = FileManager.default.createFile(atPath: "\(dir)/taken.png/keep", contents: Data())
        let error = try #require(throws: RenderError.self) { try card.writePNG(to: "\(dir)/taken.png") }
        #expect(error.code == .io)
        #expect(error.description.contains("rename"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["taken.png"])
    }

    @Test func emptyImageIsRejected() {
        #expect(throws: RenderError.self) { try RGBImage(width: 0, height: 0, rgb: []).writePNG(to: "/tmp/never.png") }
    }
}
