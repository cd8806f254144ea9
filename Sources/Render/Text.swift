import CCairo

/// A font for the cairo toy text API: DejaVu Sans (Debian's fonts-dejavu-core, found through
/// fontconfig), `size` in pixels (the em size; legible values need >= 14).
struct Font: Sendable, Equatable {
    static let family = "DejaVu Sans"
    var size: Double
    var bold: Bool = false

    func withSize(_ s: Double) -> Font { Font(size: s, bold: bold) }
}

/// Horizontal placement of a text run relative to its anchor x.
enum TextAlign: Sendable { case left, centre, right }

/// Text on a canvas: measuring, drawing (optionally rotated or with a halo), fitting and
/// wrapping. Positions are page pixels; `top` is the top of the line box (font ascent above
/// the baseline), so stacked lines never overlap.
extension Canvas {
    func select(_ font: Font) throws {
        cairo_select_font_face(context, Font.family, CAIRO_FONT_SLANT_NORMAL,
                               font.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, font.size)
        try check("cairo_select_font_face(\(Font.family))")
    }

    /// Advance width of `text` in pixels.
    func textWidth(_ text: String, _ font: Font) throws -> Double {
        try select(font)
        var e = cairo_text_extents_t()
        cairo_text_extents(context, text, &e)
        try check("cairo_text_extents")
        return e.x_advance
    }

    /// Ascent and line height (ascent + descent + gap) of a font, pixels.
    func lineMetrics(_ font: Font) throws -> (ascent: Double, lineHeight: Double) {
        try select(font)
        var e = cairo_font_extents_t()
        cairo_font_extents(context, &e)
        try check("cairo_font_extents")
        return (e.ascent, e.height)
    }

    /// Draw one line of text. `x` is the anchor for `align`; `top` the top of the line box.
    /// With a halo the glyphs get an outline of that colour (labels drawn over images).
    /// Returns the line height used.
    @discardableResult
    func text(_ text: String, x: Double, top: Double, _ font: Font, _ colour: RGBColour,
              align: TextAlign = .left, halo: RGBColour? = nil) throws -> Double {
        let m = try lineMetrics(font)
        let w = try textWidth(text, font)
        let x0: Double
        switch align {
        case .left: x0 = x
        case .centre: x0 = x - w / 2
        case .right: x0 = x - w
        }
        let baseline = (top + m.ascent).rounded()
        cairo_move_to(context, x0.rounded(), baseline)
        if let halo {
            cairo_text_path(context, text)
            setColour(halo)
            cairo_set_line_width(context, max(2, font.size / 6))
            cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
            cairo_stroke_preserve(context)
            setColour(colour)
            cairo_fill(context)
            try check("cairo_text_path")
        } else {
            setColour(colour)
            cairo_show_text(context, text)
            try check("cairo_show_text")
        }
        return m.lineHeight
    }

    /// Draw text turned 90 degrees anticlockwise (reads bottom to top), centred on (cx, cy):
    /// the y-axis label of a plot.
    func verticalText(_ text: String, cx: Double, cy: Double, _ font: Font, _ colour: RGBColour) throws {
        let m = try lineMetrics(font)
        let w = try textWidth(text, font)
        cairo_save(context)
        cairo_translate(context, cx.rounded(), cy.rounded())
        cairo_rotate(context, -Double.pi / 2)
        cairo_move_to(context, -w / 2, m.ascent - m.lineHeight / 2)
        setColour(colour)
        cairo_show_text(context, text)
        cairo_restore(context)
        try check("cairo_show_text (rotated)")
    }

    /// The largest font no bigger than `font` (and no smaller than `minSize`) at which `text`
    /// fits in `maxWidth` pixels.
    func fitted(_ text: String, maxWidth: Double, _ font: Font, minSize: Double = 14) throws -> Font {
        let w = try textWidth(text, font)
        guard w > maxWidth, w > 0 else { return font }
        return font.withSize(max(minSize, (font.size * maxWidth / w).rounded(.down)))
    }

    /// Break `text` into lines no wider than `maxWidth` at spaces (a word longer than the width
    /// stays whole on its own line). Explicit newlines are kept.
    func wrap(_ text: String, maxWidth: Double, _ font: Font) throws -> [String] {
        var out: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
                let candidate = line.isEmpty ? String(word) : line + " " + word
                if try line.isEmpty || textWidth(candidate, font) <= maxWidth {
                    line = candidate
                } else {
                    out.append(line)
                    line = String(word)
                }
            }
            out.append(line)
        }
        return out
    }

    /// Height in pixels that `texts` take wrapped to `width` at `font` and line `spacing`.
    func paragraphsHeight(_ texts: [String], width: Double, _ font: Font, spacing: Double = 1.15,
                          hangingIndent: Double = 0) throws -> Double {
        let m = try lineMetrics(font)
        var lines = 0
        for t in texts { lines += try wrap(t, maxWidth: width - hangingIndent, font).count }
        return lines == 0 ? 0 : Double(lines - 1) * m.lineHeight * spacing + m.lineHeight
    }

    /// The largest font from `font` down to `minSize` (1 px steps) at which `texts` fit in
    /// `width` x `height`; throws when they do not fit even at `minSize` (a page never drops
    /// numbers silently). `what` names the block in the message.
    func fitting(_ texts: [String], width: Double, height: Double, _ font: Font, minSize: Double = 14,
                 spacing: Double = 1.15, hangingIndent: Double = 0, what: String) throws -> Font {
        var f = font
        while try paragraphsHeight(texts, width: width, f, spacing: spacing, hangingIndent: hangingIndent) > height + 0.5 {
            guard f.size - 1 >= minSize else {
                throw RenderError(.invalidInput, "\(what) does not fit in \(Int(width))x\(Int(height)) px even at \(Int(minSize)) px text (\(texts.count) entries) — shorten it")
            }
            f = f.withSize(f.size - 1)
        }
        return f
    }

    /// Draw paragraphs wrapped to `width`, starting at `top`; continuation lines of a paragraph
    /// are indented by `hangingIndent` pixels. Throws when a line would pass `maxY` (use
    /// `fitting` first). Returns the y below the last line drawn.
    @discardableResult
    func paragraphs(_ texts: [String], x: Double, top: Double, width: Double, maxY: Double,
                    _ font: Font, _ colour: RGBColour, spacing: Double = 1.15, hangingIndent: Double = 0) throws -> Double {
        let m = try lineMetrics(font)
        var y = top
        for t in texts {
            for (n, line) in try wrap(t, maxWidth: width - hangingIndent, font).enumerated() {
                guard y + m.lineHeight <= maxY + 0.5 else {
                    throw RenderError(.invalidInput, "text '\(line.prefix(40))' does not fit above y = \(Int(maxY)) px")
                }
                try text(line, x: n == 0 ? x : x + hangingIndent, top: y, font, colour)
                y += m.lineHeight * spacing
            }
        }
        return y
    }
}
