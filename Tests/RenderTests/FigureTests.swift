import Foundation
import Imaging
import Testing
@testable import Render

struct FigureTests {
    @Test func mipShowsTheColumnMaximumInsideTheMaskAtItsPixel() throws {
        let g = SyntheticHead.axialGrid(nx: 40, ny: 40, nz: 5, spacing: (2, 2, 5))
        var map = Volume3D(grid: g, fill: 1)
        var mask = Volume3D(grid: g, fill: 1)
        map[10, 12, 3] = 10                                   // the top of the range
        map[20, 25, 2] = 100; mask[20, 25, 2] = 0             // bright but outside the mask
        for k in 0..<5 { mask[30, 30, k] = 0 }                // a column with nothing in the mask
        let img = try Figures.mip(map, mask: mask, colormap: .tmax, range: 0...10, title: "Tmax MIP", unit: "s")
        #expect(img.width == 1024 && img.height == 720)
        let layout = FigureLayout(grid: g)
        #expect(layout.image.width == layout.image.height)
        let d = DisplayMap(rect: layout.image, nx: 40, ny: 40)
        let at = { (i: Int, j: Int) in img.pixel(d.pixel(i, j).x, d.pixel(i, j).y) }
        #expect(Pixels.equals(at(10, 12), Colormap.tmax.colour(at: 1), tolerance: 0))
        #expect(Pixels.equals(at(20, 25), Colormap.tmax.colour(at: 0.1), tolerance: 1))
        #expect(Pixels.equals(at(5, 30), Colormap.tmax.colour(at: 0.1), tolerance: 1))
        #expect(at(30, 30) == (0, 0, 0))
        // Colour bar: top and bottom rows are the colormap's end colours.
        let bar = layout.colourBar
        #expect(Pixels.equals(img.pixel(Int(bar.midX), bar.y), Colormap.tmax.colour(at: 1), tolerance: 0))
        #expect(Pixels.equals(img.pixel(Int(bar.midX), bar.maxY - 1), Colormap.tmax.colour(at: 0), tolerance: 0))
        // Title text above the image.
        #expect(TextProbe(img, PixelRect(x: 0, y: 0, width: 1024, height: 60)).lightPixels > 200)
    }

    @Test func mipKeepsTheAspectOfNonSquarePixels() throws {
        let g = SyntheticHead.axialGrid(nx: 64, ny: 32, nz: 2, spacing: (0.5, 2.0, 5))  // 32 mm x 64 mm
        let img = try Figures.mip(Volume3D(grid: g, fill: 3), mask: nil, colormap: .perfusion, range: 0...10,
                                  title: "t", unit: "u")
        let r = FigureLayout(grid: g).image
        #expect(r.height == 640 && r.width == 320)
        // The image's left and right edges: coloured inside, black just outside.
        let y = Int(r.midY)
        #expect(img.pixel(r.x - 2, y) == (0, 0, 0) && img.pixel(r.maxX + 1, y) == (0, 0, 0))
        #expect(Pixels.equals(img.pixel(r.x + 30, y), Colormap.perfusion.colour(at: 0.3), tolerance: 1))
    }

    @Test func lesionOverlayMarksProjectedCoreAndPenumbraOnly() throws {
        let head = SyntheticHead(nx: 64, ny: 64, nz: 6, spacing: (3, 3, 5))
        let img = try Figures.lesionOverlayMIP(ct: head.ct, core: head.core, penumbra: head.penumbra,
                                               title: "Core and penumbra",
                                               legend: ["Core: 19.2 mL", "Penumbra: 62.4 mL", "Mismatch ratio: 4.3"])
        #expect(img.width == 1024 && img.height == 720)
        let layout = FigureLayout(grid: head.grid)
        let d = DisplayMap(rect: layout.image, nx: 64, ny: 64)
        let core = Plane.anyProjection(head.core), pen = Plane.anyProjection(head.penumbra)
        var counts = (core: 0, penumbra: 0, other: 0)
        let safe = layout.image.inset(30)   // clear of the orientation letters
        for y in safe.y..<safe.maxY {
            for x in safe.x..<safe.maxX {
                guard let (i, j) = d.voxel(x, y) else { continue }
                let p = img.pixel(x, y)
                if core[i, j] > 0.5 {
                    #expect(Pixels.isMagentaish(p)); counts.core += 1
                } else if pen[i, j] > 0.5 {
                    #expect(Pixels.isGreenish(p)); counts.penumbra += 1
                } else {
                    guard Pixels.isGrey(p) else { Issue.record("(\(i),\(j)) coloured \(p)"); return }
                    counts.other += 1
                }
            }
        }
        #expect(counts.core > 1000 && counts.penumbra > 1000 && counts.other > 10000)
        // Legend: swatches in the overlay colours and light text in the side panel.
        let panel = TextProbe(img, layout.panel)
        #expect(panel.count { $0 == RGBColour.core.bytes } > 50)
        #expect(panel.count { $0 == RGBColour.penumbra.bytes } > 50)
        #expect(panel.lightPixels > 300)
    }

    @Test func curvesDrawEachSeriesThroughItsDataPoints() throws {
        let t = stride(from: 0.0, through: 40, by: 2).map { $0 }
        let ramp = CurveSeries(label: "AIF", timesS: t, values: t.map { 2.5 * $0 }, colour: .arterial)
        let flat = CurveSeries(label: "VOF", timesS: t, values: t.map { _ in 50 }, colour: .venous)
        let img = try Figures.curves([ramp, flat], title: "AIF and VOF", xLabel: "Time (s)", yLabel: "Enhancement (HU)")
        #expect(img.width == 900 && img.height == 600)
        let layout = try CurvePlotLayout(series: [ramp, flat], markers: [], width: 900, height: 600)
        #expect(layout.xRange == 0...40 && layout.yRange == 0...100)

        /// Smallest colour distance to `c` among pixels within `radius` of (x, y).
        func nearest(_ c: RGBColour, _ x: Double, _ y: Double, radius: Int = 2) -> Int {
            let e = c.bytes
            var best = Int.max
            for dy in -radius...radius {
                for dx in -radius...radius {
                    let p = img.pixel(Int(x) + dx, Int(y) + dy)
                    best = min(best, abs(Int(p.r) - Int(e.r)) + abs(Int(p.g) - Int(e.g)) + abs(Int(p.b) - Int(e.b)))
                }
            }
            return best
        }
        for time in [5.0, 11, 17, 27, 33] {
            let a = layout.point(t: time, v: 2.5 * time)
            #expect(nearest(.arterial, a.x, a.y) < 40, "AIF line at t=\(time) near \(a)")
            let v = layout.point(t: time, v: 50)
            #expect(nearest(.venous, v.x, v.y) < 40, "VOF line at t=\(time) near \(v)")
        }
        // Far from both lines nothing is drawn in the series colours.
        let empty = layout.point(t: 35, v: 15)
        #expect(nearest(.arterial, empty.x, empty.y, radius: 4) > 150 && nearest(.venous, empty.x, empty.y, radius: 4) > 150)
        // Left of the plot: y tick labels (dark text on white); below: x ticks and label.
        let p = layout.plot
        let yTicks = TextProbe(img, PixelRect(x: p.x - 60, y: p.y - 10, width: 54, height: p.height + 20))
        #expect(yTicks.darkPixels > 100)
        let xTicks = TextProbe(img, PixelRect(x: p.x - 10, y: p.maxY + 8, width: p.width + 20, height: 60))
        #expect(xTicks.darkPixels > 200)
        #expect(TextProbe(img, PixelRect(x: 0, y: 0, width: 900, height: p.y - 4)).darkPixels > 200)
    }

    @Test func curveMarkersAreDrawnAtTheirTime() throws {
        let t = (0..<20).map { Double($0) * 2 }
        let s = CurveSeries(label: "AIF", timesS: t, values: t.map { $0 > 8 ? 100 : 0 }, colour: .arterial)
        let marker = CurveMarker(label: "arrival", timeS: 21, colour: RGBColour(0, 0.6, 0))
        let img = try Figures.curves([s], title: "t", xLabel: "Time (s)", yLabel: "HU", markers: [marker])
        let layout = try CurvePlotLayout(series: [s], markers: [marker], width: 900, height: 600)
        let x = Int(layout.point(t: 21, v: 0).x)
        let column = (layout.plot.y + 40..<layout.plot.maxY - 40).filter { y in
            (x - 1...x + 1).contains { let p = img.pixel($0, y); return Int(p.g) > Int(p.r) + 60 && Int(p.g) > Int(p.b) + 60 }
        }
        #expect(column.count > 100, "a dashed line covers a good part of the plot height")
    }

    @Test func badCurveInputsAreRejected() {
        let ok = CurveSeries(label: "a", timesS: [0, 1], values: [0, 1], colour: .arterial)
        #expect(throws: RenderError.self) { try Figures.curves([], title: "", xLabel: "", yLabel: "") }
        #expect(throws: RenderError.self) {
            try Figures.curves([CurveSeries(label: "b", timesS: [0, 1, 2], values: [1], colour: .venous)],
                               title: "", xLabel: "", yLabel: "")
        }
        #expect(throws: RenderError.self) {
            try Figures.curves([CurveSeries(label: "c", timesS: [0, 1], values: [.nan, .nan], colour: .venous)],
                               title: "", xLabel: "", yLabel: "")
        }
        #expect(throws: RenderError.self) { try Figures.curves([ok], title: "", xLabel: "", yLabel: "", width: 100, height: 100) }
        let e = try? Figures.curves([ok], title: "", xLabel: "", yLabel: "", width: 40_000, height: 600)
        #expect(e == nil)
    }

    @Test func mipRejectsBadRangesAndMismatchedMasks() {
        let a = SyntheticHead(nx: 16, ny: 16, nz: 2), b = SyntheticHead(nx: 16, ny: 8, nz: 2)
        #expect(throws: RenderError.self) {
            try Figures.mip(a.tmax, mask: b.brain, colormap: .tmax, range: 0...10, title: "", unit: "")
        }
        #expect(throws: RenderError.self) {
            try Figures.mip(a.tmax, mask: nil, colormap: .tmax, range: 0...Double.infinity, title: "", unit: "")
        }
        #expect(throws: RenderError.self) {
            try Figures.lesionOverlayMIP(ct: a.ct, core: a.core, penumbra: b.penumbra, title: "", legend: [])
        }
    }
}
