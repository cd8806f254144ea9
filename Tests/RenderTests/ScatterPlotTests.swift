import Foundation
import Testing
@testable import Render

struct ScatterPlotTests {
    /// An estimated-vs-true figure: 800 x 600, the point's pixel has the series colour, the
    /// identity line passes through (0, 0) and the figure survives a PNG round trip.
    @Test func scatterDrawsPointsLinesAndWritesAPNG() throws {
        let red = RGBColour(0.84, 0.15, 0.16)
        let series = [ScatterSeries(label: "tiles", xs: [10, 40, 80], ys: [12, 38, 85], yErrors: [2, 3, 4], colour: red)]
        let lines = [ScatterLine.identity()]
        let img = try ScatterFigure.draw(series, lines: lines, title: "CBF", xLabel: "true CBF (mL/100g/min)",
                                         yLabel: "estimated CBF (mL/100g/min)", square: true)
        #expect(img.width == 800 && img.height == 600)
        let layout = try ScatterLayout(series: series, lines: lines, square: true, width: 800, height: 600)
        #expect(layout.xRange == layout.yRange && layout.xRange.lowerBound == 0)
        let p = layout.point(x: 40, y: 38)
        #expect(Pixels.equals(img.pixel(Int(p.x), Int(p.y)), red, tolerance: 2))
        // The identity line (dashed, grey) is not white near its start at the origin.
        let o = layout.point(x: 0, y: 0)
        let nearOrigin = img.pixel(Int(o.x) + 3, Int(o.y) - 3)
        #expect(nearOrigin != (255, 255, 255))

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scatter-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("scatter.png").path
        try img.writePNG(to: path)
        let back = try RGBImage(contentsOfPNG: path)
        #expect(back == img)
    }

    /// Bland–Altman style: horizontal lines widen the y range; a line outside it is skipped.
    @Test func horizontalLinesSetTheRange() throws {
        let series = [ScatterSeries(label: "cases", xs: [10, 20], ys: [1, -1], colour: .black)]
        let lines = [ScatterLine.horizontal("bias", y: 0, colour: .black), ScatterLine.horizontal("LoA", y: 9, colour: .black)]
        let layout = try ScatterLayout(series: series, lines: lines, square: false, width: 800, height: 600)
        #expect(layout.yRange.upperBound >= 9 && layout.yRange.lowerBound <= -1)
        #expect(layout.clipped(ScatterLine.horizontal("far", y: 1000, colour: .black)) == nil)
        #expect(throws: RenderError.self) {
            try ScatterFigure.draw([ScatterSeries(label: "none", xs: [.nan], ys: [1], colour: .black)], lines: [],
                                   title: "t", xLabel: "x", yLabel: "y", square: false)
        }
    }

    /// The legend goes to the corner with the fewest points: points crowded top-left stay visible.
    @Test func legendAvoidsThePoints() throws {
        let red = RGBColour(0.84, 0.15, 0.16)
        let xs: [Double] = [1, 1.5, 2, 2.5, 3, 100], ys: [Double] = [98, 97, 96, 95, 94, 0]
        let series = [ScatterSeries(label: "a long legend entry that takes room", xs: xs, ys: ys, colour: red)]
        let lines = [ScatterLine.horizontal("bias", y: 50, colour: .black)]
        let img = try ScatterFigure.draw(series, lines: lines, title: "t", xLabel: "x", yLabel: "y", square: false)
        let layout = try ScatterLayout(series: series, lines: lines, square: false, width: 800, height: 600)
        for (x, y) in zip(xs, ys).dropLast() {  // the crowd (the last point sits on the frame)
            let p = layout.point(x: x, y: y)
            #expect(Pixels.equals(img.pixel(Int(p.x), Int(p.y)), red, tolerance: 2), "point (\(x), \(y)) hidden")
        }
    }
}
