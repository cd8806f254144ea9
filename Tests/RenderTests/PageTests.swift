import Imaging
import Testing
@testable import Render

struct PageTests {
    static let footer = "Thresholds: core rCBF < 30% and Tmax > 6 s; hypoperfusion Tmax > 6 s. ctperf 0.3.0"

    @Test func summaryOverlaysCoreAndPenumbraExactlyWhereTheMasksAre() throws {
        let head = SyntheticHead(nx: 64, ny: 64, nz: 6, spacing: (3, 3, 5))
        let page = try Pages.summary(ct: head.ct, core: head.core, penumbra: head.penumbra,
                                     lines: ["Core (rCBF<30%): 19.2 mL", "Tmax>6s: 81.6 mL"],
                                     header: "CT perfusion summary\n2024-05-01 14:32", footer: Self.footer)
        #expect(page.width == 1024 && page.height == 1024)
        let grid = SliceGrid(grid: head.grid, area: PageLayout.summary.grid)
        #expect(grid.slices == Array(0..<6))
        var counts = (core: 0, penumbra: 0, other: 0)
        for (k, r) in zip(grid.slices, grid.imageRects) {
            #expect(r.width > 64, "slices are drawn magnified here")
            let map = DisplayMap(rect: r, nx: 64, ny: 64)
            // Keep clear of the slice label (top) and the orientation letters (edges of slice 0).
            let safe = k == 0 ? r.inset(26) : PixelRect(x: r.x, y: r.y + 26, width: r.width, height: r.height - 26)
            for y in safe.y..<safe.maxY {
                for x in safe.x..<safe.maxX {
                    guard let (i, j) = map.voxel(x, y) else { continue }
                    let p = page.pixel(x, y)
                    if head.core[i, j, k] > 0.5 {
                        #expect(Pixels.isMagentaish(p), "core voxel (\(i),\(j),\(k)) at pixel (\(x),\(y)) is \(p)")
                        counts.core += 1
                    } else if head.penumbra[i, j, k] > 0.5 {
                        #expect(Pixels.isGreenish(p), "penumbra voxel (\(i),\(j),\(k)) at pixel (\(x),\(y)) is \(p)")
                        counts.penumbra += 1
                    } else {
                        guard Pixels.isGrey(p) else {
                            Issue.record("voxel (\(i),\(j),\(k)) outside the lesion at pixel (\(x),\(y)) is coloured \(p)")
                            return
                        }
                        counts.other += 1
                    }
                }
            }
        }
        #expect(counts.core > 1000 && counts.penumbra > 1000 && counts.other > 10000)
    }

    @Test func summaryOverlayColourIsTheStatedBlendOverTheCTWindow() throws {
        let head = SyntheticHead(nx: 64, ny: 64, nz: 6, spacing: (3, 3, 5))
        let page = try Pages.summary(ct: head.ct, core: head.core, penumbra: head.penumbra, lines: [],
                                     header: "x", footer: "")
        let grid = SliceGrid(grid: head.grid, area: PageLayout.summary.grid)
        // A core voxel and a brain voxel of slice 2.
        let k = 2
        let coreVoxel = try #require((0..<64).lazy.flatMap { j in (0..<64).lazy.map { (i: $0, j: j) } }
            .first { head.core[$0.i, $0.j, k] > 0.5 && head.core[$0.i + 1, $0.j, k] > 0.5 && head.core[$0.i, $0.j + 1, k] > 0.5 })
        let map = DisplayMap(rect: grid.imageRects[k], nx: 64, ny: 64)
        let (x, y) = map.pixel(coreVoxel.i, coreVoxel.j)
        let hu = Double(head.ct[coreVoxel.i, coreVoxel.j, k])
        let grey = (max(0, min(1, hu / 80)) * 255).rounded()
        let expected = RGBColour((grey * 0.4 + 255 * 0.6) / 255, grey * 0.4 / 255, (grey * 0.4 + 255 * 0.6) / 255)
        #expect(Pixels.equals(page.pixel(x, y), expected, tolerance: 1), "\(page.pixel(x, y)) vs \(expected.bytes)")
        // Brain at 36 +- 4 HU in the 0–80 window is mid grey; skull (1200 HU) white; air black.
        let (bx, by) = map.pixel(48, 32)
        #expect(Pixels.isGrey(page.pixel(bx, by)) && (100...130).contains(Int(page.pixel(bx, by).r)))
        let (sx, sy) = map.pixel(32, 5)
        #expect(SyntheticHead.tissue(head.grid, 32, 5, k) == 1)
        #expect(page.pixel(sx, sy) == (255, 255, 255))
        let (ax, ay) = map.pixel(1, 32)
        #expect(page.pixel(ax, ay) == (0, 0, 0))
    }

    @Test func mapPagePutsKnownVoxelValuesAtTheirPixelsInTheColormapEndColours() throws {
        // 80 x 60 voxels of 1.0 x 1.5 mm (non-square pixels), 3 slices, Tmax 0...10 s.
        let g = SyntheticHead.axialGrid(nx: 80, ny: 60, nz: 3, spacing: (1.0, 1.5, 5))
        var map = Volume3D(grid: g, fill: 0)
        var brain = Volume3D(grid: g, fill: 1)
        for k in 0..<3 { for j in 0..<60 { for i in 0..<10 { brain[i, j, k] = 0 } } }
        for j in 20...22 { for i in 30...32 { map[i, j, 2] = 15 } }        // saturates at the top colour
        for j in 40...42 { for i in 60...62 { map[i, j, 1] = .nan } }      // no data
        let page = try Pages.mapPage(map, brain: brain, colormap: .tmax, range: 0...10, title: "Tmax", unit: "s",
                                     footer: Self.footer)
        #expect(page.width == 1024 && page.height == 1024)
        let grid = SliceGrid(grid: g, area: PageLayout.map.grid)
        for r in grid.imageRects { #expect(abs(Double(r.width) / Double(r.height) - 80.0 / 90.0) < 0.01) }

        let s2 = DisplayMap(rect: grid.imageRects[2], nx: 80, ny: 60)
        let (hx, hy) = s2.pixel(31, 21)
        #expect(Pixels.equals(page.pixel(hx, hy), Colormap.tmax.colour(at: 1), tolerance: 0))
        let (lx, ly) = s2.pixel(50, 30)
        #expect(Pixels.equals(page.pixel(lx, ly), Colormap.tmax.colour(at: 0), tolerance: 0))
        let (ox, oy) = s2.pixel(5, 30)
        #expect(page.pixel(ox, oy) == (0, 0, 0), "outside the brain is black")
        let s1 = DisplayMap(rect: grid.imageRects[1], nx: 80, ny: 60)
        let (nx, ny) = s1.pixel(61, 41)
        #expect(page.pixel(nx, ny) == (0, 0, 0), "NaN is black")
        // The same voxel position on slice 1 (value 0) is not the top colour.
        let (qx, qy) = s1.pixel(31, 21)
        #expect(Pixels.equals(page.pixel(qx, qy), Colormap.tmax.colour(at: 0), tolerance: 0))
    }

    @Test func mapPageColourBarRunsFromBottomColourToTopColourWithLabels() throws {
        let head = SyntheticHead(nx: 48, ny: 48, nz: 4)
        let page = try Pages.mapPage(head.cbf, brain: head.brain, colormap: .perfusion, range: 0...60, title: "CBF",
                                     unit: "mL/100g/min", footer: Self.footer)
        let bar = PageLayout.map.colourBar
        let cx = Int(bar.midX)
        #expect(Pixels.equals(page.pixel(cx, bar.y), Colormap.perfusion.colour(at: 1), tolerance: 0))
        #expect(Pixels.equals(page.pixel(cx, bar.maxY - 1), Colormap.perfusion.colour(at: 0), tolerance: 0))
        #expect(Pixels.equals(page.pixel(cx, bar.y + bar.height / 2), Colormap.perfusion.colour(at: 0.5), tolerance: 2))
        // Tick labels to the right of the bar and the unit above it are light text on black.
        let labels = PixelRect(x: bar.maxX + 8, y: bar.y - 10, width: 60, height: bar.height + 20)
        #expect(TextProbe(page, labels).lightPixels > 100)
        let unit = PixelRect(x: bar.x - 40, y: bar.y - 40, width: 120, height: 34)
        #expect(TextProbe(page, unit).lightPixels > 50)
    }

    @Test func everyPageCarriesTheResearchUseBandWithLegibleText() throws {
        let head = SyntheticHead(nx: 48, ny: 48, nz: 4)
        let pages = [
            try Pages.summary(ct: head.ct, core: head.core, penumbra: head.penumbra, lines: ["HIR: 0.41"],
                              header: "Summary", footer: Self.footer),
            try Pages.mapPage(head.tmax, brain: head.brain, colormap: .tmax, range: 0...10, title: "Tmax", unit: "s",
                              footer: Self.footer),
        ]
        for page in pages {
            let band = TextProbe(page, PageLayout.summary.band)
            #expect(band.lightPixels > 500 && band.darkPixels > 5000, "light text on a dark band")
            #expect(band.textHeight >= 14, "text is \(band.textHeight) px tall")
            #expect(band.textWidth > 400, "a long label, centred")
            let header = TextProbe(page, PageLayout.summary.header)
            #expect(header.lightPixels > 100 && header.textHeight >= 14)
            let footer = TextProbe(page, PageLayout.summary.footer)
            #expect(footer.lightPixels > 100 && footer.textHeight >= 10)
        }
    }

    @Test func summaryWritesMetricLinesInThePanelAndSliceIndexLabels() throws {
        let head = SyntheticHead(nx: 48, ny: 48, nz: 4)
        let with = try Pages.summary(ct: head.ct, core: head.core, penumbra: head.penumbra,
                                     lines: ["Core (rCBF<30%): 19.2 mL", "Mismatch ratio: 4.3"], header: "S", footer: "")
        let without = try Pages.summary(ct: head.ct, core: head.core, penumbra: head.penumbra, lines: [],
                                        header: "S", footer: "")
        let panel = PageLayout.summary.panel
        let below = PixelRect(x: panel.x, y: panel.y + 90, width: panel.width, height: 80)
        #expect(TextProbe(without, below).lightPixels == 0)
        let probe = TextProbe(with, below)
        #expect(probe.lightPixels > 200 && probe.textHeight >= 14)
        // Legend swatches in the exact overlay colours.
        let legend = PixelRect(x: panel.x, y: panel.y, width: 40, height: 90)
        #expect(TextProbe(with, legend).count { $0 == RGBColour.core.bytes } > 50)
        #expect(TextProbe(with, legend).count { $0 == RGBColour.penumbra.bytes } > 50)
        // Each slice has its index in white at its top-left corner.
        let grid = SliceGrid(grid: head.grid, area: PageLayout.summary.grid)
        for r in grid.imageRects {
            let corner = PixelRect(x: r.x, y: r.y, width: 30, height: 22)
            #expect(TextProbe(with, corner).count { $0 == (255, 255, 255) } > 5)
        }
    }

    @Test func tallStacksShowTwentyFiveEvenlySpacedSlices() throws {
        let head = SyntheticHead(nx: 32, ny: 32, nz: 40)
        let page = try Pages.mapPage(head.tmax, brain: nil, colormap: .tmax, range: 0...10, title: "Tmax", unit: "s",
                                     footer: "")
        let grid = SliceGrid(grid: head.grid, area: PageLayout.map.grid)
        #expect(grid.slices.count == 25 && grid.slices.last == 39 && (grid.columns, grid.rows) == (5, 5))
        // Every cell holds an image (non-black pixels at its centre).
        for r in grid.imageRects { #expect(page.pixel(Int(r.midX), Int(r.midY)) != (0, 0, 0)) }
    }

    @Test func downsampledLargeMatrixStillShowsTheLesion() throws {
        let head = SyntheticHead(nx: 512, ny: 512, nz: 2, spacing: (0.45, 0.45, 5))
        let page = try Pages.summary(ct: head.ct, core: head.core, penumbra: head.penumbra, lines: [], header: "S",
                                     footer: "")
        let grid = SliceGrid(grid: head.grid, area: PageLayout.summary.grid)
        #expect(grid.imageRects[0].width < 512)
        // Lesion centre: x = -0.45 ax, y = -0.1 ay from the slice centre (see SyntheticHead).
        let r = grid.imageRects[1]
        let cx = r.midX - 0.45 * 0.40 * Double(r.width), cy = r.midY - 0.1 * 0.44 * Double(r.height)
        #expect(Pixels.isMagentaish(page.pixel(Int(cx), Int(cy))))
    }

    @Test func mismatchedOrEmptyInputsAreRejectedWithAMessage() throws {
        let head = SyntheticHead(nx: 16, ny: 16, nz: 2)
        let other = SyntheticHead(nx: 16, ny: 16, nz: 3)
        let e = try #require(throws: RenderError.self) {
            try Pages.summary(ct: head.ct, core: other.core, penumbra: head.penumbra, lines: [], header: "", footer: "")
        }
        #expect(e.code == .invalidInput && e.message.contains("core"))
        #expect(throws: RenderError.self) {
            try Pages.mapPage(head.cbf, brain: nil, colormap: .perfusion, range: 5...5, title: "", unit: "", footer: "")
        }
        #expect(throws: RenderError.self) {
            try Pages.mapPage(head.cbf, brain: other.brain, colormap: .perfusion, range: 0...60, title: "", unit: "", footer: "")
        }
    }

    @Test func textThatCannotFitThrowsInsteadOfBeingCut() throws {
        let head = SyntheticHead(nx: 16, ny: 16, nz: 2)
        let many = (1...60).map { "Metric \($0): \(Double($0) * 1.5) mL" }
        let e = try #require(throws: RenderError.self) {
            try Pages.summary(ct: head.ct, core: head.core, penumbra: head.penumbra, lines: many, header: "S", footer: "")
        }
        #expect(e.code == .invalidInput && e.message.contains("metric lines"))
        #expect(throws: RenderError.self) {
            try Pages.mapPage(head.cbf, brain: nil, colormap: .perfusion, range: 0...60, title: "a\nb\nc\nd", unit: "",
                              footer: "")
        }
        // A long footer shrinks to fit and is still drawn; 30 metric lines fit at a smaller size.
        let long = String(repeating: "Threshold rCBF < 30% and Tmax > 6 s. ", count: 14)
        let page = try Pages.summary(ct: head.ct, core: head.core, penumbra: head.penumbra,
                                     lines: Array(many.prefix(30)), header: "S\nline 2\nline 3", footer: long)
        #expect(TextProbe(page, PageLayout.summary.footer).lightPixels > 1000)
    }

    @Test func concurrentRenderingGivesTheSamePixelsAsSerial() async throws {
        let head = SyntheticHead(nx: 48, ny: 48, nz: 4)
        let serial = try Pages.summary(ct: head.ct, core: head.core, penumbra: head.penumbra, lines: ["HIR: 0.41"],
                                       header: "S", footer: Self.footer)
        let results = try await withThrowingTaskGroup(of: RGBImage.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    try Pages.summary(ct: head.ct, core: head.core, penumbra: head.penumbra, lines: ["HIR: 0.41"],
                                      header: "S", footer: Self.footer)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 4 && results.allSatisfy { $0 == serial })
    }
}

/// Counts of text-like pixels in a region of an image.
struct TextProbe {
    var pixels: [(x: Int, y: Int, p: (r: UInt8, g: UInt8, b: UInt8))] = []

    init(_ image: RGBImage, _ r: PixelRect) {
        for y in max(0, r.y)..<min(image.height, r.maxY) {
            for x in max(0, r.x)..<min(image.width, r.maxX) { pixels.append((x, y, image.pixel(x, y))) }
        }
    }

    func count(_ predicate: ((r: UInt8, g: UInt8, b: UInt8)) -> Bool) -> Int { pixels.filter { predicate($0.p) }.count }
    var lightPixels: Int { count { Pixels.luminance($0) > 200 } }
    var darkPixels: Int { count { Pixels.luminance($0) < 100 } }

    private var lightRows: [Int] { pixels.filter { Pixels.luminance($0.p) > 200 }.map(\.y) }
    private var lightColumns: [Int] { pixels.filter { Pixels.luminance($0.p) > 200 }.map(\.x) }
    /// Height in pixels from the topmost to the bottommost light pixel.
    var textHeight: Int { lightRows.isEmpty ? 0 : lightRows.max()! - lightRows.min()! + 1 }
    var textWidth: Int { lightColumns.isEmpty ? 0 : lightColumns.max()! - lightColumns.min()! + 1 }
}
