/// The fixed arrangement of the Secondary Capture pages (1024 x 1024, black): the research-use
/// band across the top, the header under it, the content (slice grid plus a side panel), and
/// the footer at the bottom.
struct PageLayout: Sendable {
    static let size = 1024
    static let margin = 12
    static let researchLabel = "RESEARCH USE ONLY — NOT FOR DIAGNOSIS"

    static let bandFont = Font(size: 24, bold: true)
    static let headerFont = Font(size: 26, bold: true)
    static let subheaderFont = Font(size: 18)
    static let footerFont = Font(size: 15)
    static let sliceLabelFont = Font(size: 15, bold: true)
    static let metricsFont = Font(size: 19)
    static let letterFont = Font(size: 15, bold: true)

    static let bandColour = RGBColour(0.62, 0.0, 0.0)
    static let textColour = RGBColour(1, 1, 1)
    static let secondaryText = RGBColour(0.82, 0.82, 0.82)

    /// Research-use band (light text on dark red).
    let band = PixelRect(x: 0, y: 0, width: size, height: 44)
    /// Header lines (first bold, the rest smaller).
    let header = PixelRect(x: margin, y: 52, width: size - 2 * margin, height: 84)
    /// Footer: thresholds, algorithm version (wrapped; 15 px text, smaller down to 13 px if needed).
    let footer = PixelRect(x: margin, y: size - 84, width: size - 2 * margin, height: 76)
    /// Slice grid.
    let grid: PixelRect
    /// Side panel: metrics and legend (summary) or colour bar (map page).
    let panel: PixelRect

    /// Summary page: grid on the left, a 290-pixel panel for the legend and metrics.
    static let summary = PageLayout(panelWidth: 290)
    /// Map page: grid on the left, a 132-pixel panel for the colour bar.
    static let map = PageLayout(panelWidth: 132)

    private init(panelWidth: Int) {
        let top = 144
        let bottom = PageLayout.size - 92
        grid = PixelRect(x: PageLayout.margin, y: top,
                         width: PageLayout.size - 2 * PageLayout.margin - panelWidth - 12, height: bottom - top)
        panel = PixelRect(x: PageLayout.size - PageLayout.margin - panelWidth, y: top, width: panelWidth, height: bottom - top)
    }

    /// Colour bar of the map page: in the panel, leaving room for the unit above and labels right.
    var colourBar: PixelRect {
        PixelRect(x: panel.x + 8, y: panel.y + 48, width: 32, height: panel.height - 72)
    }

    /// Draw the band, the header lines (split at newlines) and the footer (wrapped).
    func drawFrame(on c: Canvas, header text: String, footer footerText: String) throws {
        try c.fill(band, PageLayout.bandColour)
        let bm = try c.lineMetrics(PageLayout.bandFont)
        try c.text(PageLayout.researchLabel, x: band.midX, top: band.midY - bm.lineHeight / 2,
                   PageLayout.bandFont, PageLayout.textColour, align: .centre)

        var y = Double(header.y)
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let font = n == 0 ? PageLayout.headerFont : PageLayout.subheaderFont
            let f = try c.fitted(String(line), maxWidth: Double(header.width), font, minSize: 14)
            let m = try c.lineMetrics(f)
            guard y + m.lineHeight <= Double(header.maxY) + 0.5 else {
                throw RenderError(.invalidInput, "page header has more lines than fit in \(header.height) px (at most 3) — shorten it")
            }
            try c.text(String(line), x: Double(header.x), top: y, f, n == 0 ? PageLayout.textColour : PageLayout.secondaryText)
            y += m.lineHeight * 1.1
        }
        try c.line(from: (Double(margin), Double(footer.y) - 6.5), to: (Double(size - margin), Double(footer.y) - 6.5),
                   RGBColour(0.4, 0.4, 0.4))
        let texts = [footerText].filter { !$0.isEmpty }
        let f = try c.fitting(texts, width: Double(footer.width), height: Double(footer.height), PageLayout.footerFont,
                              minSize: 13, what: "page footer")
        try c.paragraphs(texts, x: Double(footer.x), top: Double(footer.y), width: Double(footer.width),
                         maxY: Double(footer.maxY), f, PageLayout.secondaryText)
    }

    private var margin: Int { PageLayout.margin }
    private var size: Int { PageLayout.size }
}
