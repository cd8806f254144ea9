/// An axis-aligned rectangle in page pixels (x right, y down, origin at the top-left corner).
struct PixelRect: Sendable, Equatable {
    var x: Int
    var y: Int
    var width: Int
    var height: Int

    var maxX: Int { x + width }
    var maxY: Int { y + height }
    var midX: Double { Double(x) + Double(width) / 2 }
    var midY: Double { Double(y) + Double(height) / 2 }

    func contains(_ px: Int, _ py: Int) -> Bool { px >= x && px < maxX && py >= y && py < maxY }

    /// The same rectangle shrunk by `d` pixels on every side (never below zero size).
    func inset(_ d: Int) -> PixelRect {
        PixelRect(x: x + d, y: y + d, width: max(0, width - 2 * d), height: max(0, height - 2 * d))
    }

    /// The largest rectangle of the given aspect ratio (width / height) centred inside this one.
    func fitted(aspect: Double) -> PixelRect {
        guard aspect > 0, width > 0, height > 0 else { return PixelRect(x: x, y: y, width: 0, height: 0) }
        var w = width
        var h = Int((Double(w) / aspect).rounded())
        if h > height {
            h = height
            w = min(width, Int((Double(h) * aspect).rounded()))
        }
        return PixelRect(x: x + (width - w) / 2, y: y + (height - h) / 2, width: max(1, w), height: max(1, h))
    }
}
