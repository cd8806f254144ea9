/// Legend rows: a colour swatch followed by wrapped text, or text alone.
enum Legend {
    static let font = Font(size: 18)

    /// Draw entries from `top` inside `width` pixels; returns the y below the last row.
    @discardableResult
    static func draw(on canvas: Canvas, entries: [(colour: RGBColour?, text: String)], x: Double, top: Double,
                     width: Double, maxY: Double, textColour: RGBColour, font: Font = font) throws -> Double {
        let m = try canvas.lineMetrics(font)
        let swatch = (m.ascent * 0.9).rounded()
        var y = top
        for e in entries {
            let textX = e.colour == nil ? x : x + swatch + 10
            if let c = e.colour {
                let s = PixelRect(x: Int(x), y: Int(y + (m.lineHeight - swatch) / 2), width: Int(swatch), height: Int(swatch))
                try canvas.fill(s, c)
                try canvas.strokeRect(s, textColour, lineWidth: 1)
            }
            let next = try canvas.paragraphs([e.text], x: textX, top: y, width: width - (textX - x), maxY: maxY,
                                             font, textColour)
            y = next + m.lineHeight * 0.35
        }
        return y
    }
}
