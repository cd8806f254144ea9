import Imaging

/// Opacity of the core/penumbra colours over grey CT on figures and pages (0...1).
enum Overlay {
    static let opacity = 0.6
}

/// The fixed arrangement of the MIP figures: title on top, the image in a 640 x 640 box at
/// true aspect on the left, a side panel (colour bar or legend) on the right.
struct FigureLayout: Sendable {
    static let size = (width: 1024, height: 720)
    static let imageBox = PixelRect(x: 20, y: 64, width: 640, height: 640)
    static let titleFont = Font(size: 24, bold: true)
    static let letterFont = Font(size: 18, bold: true)

    var image: PixelRect
    /// Colour bar of the MIP figure.
    var colourBar = PixelRect(x: 708, y: 124, width: 32, height: 540)
    /// Legend area of the overlay figure.
    var panel = PixelRect(x: 684, y: 96, width: 320, height: 600)

    init(grid: Grid) {
        image = FigureLayout.imageBox.fitted(aspect: SliceGrid.aspect(of: grid))
    }

    /// Title above and orientation letters at the image edges.
    static func decorate(_ c: Canvas, layout: FigureLayout, grid: Grid, title: String) throws {
        let f = try c.fitted(title, maxWidth: Double(size.width - 24), titleFont, minSize: 16)
        try c.text(title, x: Double(size.width) / 2, top: 18, f, .white, align: .centre)
        try OrientationLetters.draw(on: c, image: layout.image, grid: grid, font: letterFont)
    }
}

/// Orientation letters drawn just inside the edges of an image, white with a black halo.
enum OrientationLetters {
    static func draw(on c: Canvas, image r: PixelRect, grid: Grid, font: Font) throws {
        let l = Orientation.letters(grid)
        let m = try c.lineMetrics(font)
        let pad = 4.0
        try c.text(l.left, x: Double(r.x) + pad, top: r.midY - m.lineHeight / 2, font, .white, halo: .black)
        try c.text(l.right, x: Double(r.maxX) - pad, top: r.midY - m.lineHeight / 2, font, .white, align: .right, halo: .black)
        try c.text(l.top, x: r.midX, top: Double(r.y) + pad, font, .white, align: .centre, halo: .black)
        try c.text(l.bottom, x: r.midX, top: Double(r.maxY) - m.lineHeight - pad + 2, font, .white, align: .centre, halo: .black)
    }
}
