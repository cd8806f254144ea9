/// A vertical colour bar: the colormap from the range's lower bound (bottom row) to its upper
/// bound (top row), ticks and labels on the right, the unit above.
enum ColourBar {
    static let tickFont = Font(size: 16)
    static let unitFont = Font(size: 18, bold: true)

    /// Draw the bar in `bar` (page pixels); labels go to the right of it, the unit above it.
    static func draw(on canvas: Canvas, bar: PixelRect, colormap: Colormap, range: ClosedRange<Double>,
                     unit: String, textColour: RGBColour) throws {
        var img = PixelImage(width: bar.width, height: bar.height)
        for y in 0..<bar.height {
            let t = bar.height > 1 ? 1 - Double(y) / Double(bar.height - 1) : 1
            let w = PixelImage.word(colormap.colour(at: t))
            for x in 0..<bar.width { img[x, y] = w }
        }
        try canvas.paint(img, x: bar.x, y: bar.y)
        try canvas.strokeRect(bar.inset(-1), textColour, lineWidth: 1)

        let ticks = Ticks.values(in: range, target: 6)
        let step = Ticks.niceStep(span: range.upperBound - range.lowerBound, target: 6)
        let m = try canvas.lineMetrics(tickFont)
        for v in ticks {
            let y = Double(bar.maxY - 1) - Colormap.fraction(v, in: range) * Double(bar.height - 1) + 0.5
            try canvas.line(from: (Double(bar.maxX), y), to: (Double(bar.maxX) + 6, y), textColour, lineWidth: 1.5)
            try canvas.text(Ticks.label(v, step: step), x: Double(bar.maxX) + 10, top: y - m.ascent * 0.62,
                            tickFont, textColour)
        }
        let um = try canvas.lineMetrics(unitFont)
        try canvas.text(unit, x: bar.midX, top: Double(bar.y) - um.lineHeight - 8, unitFont, textColour, align: .centre)
    }
}
