import Foundation

/// Points of one group on a scatter figure (e.g. estimated vs true CBF of the tiles with one
/// delay), in the figure's x and y units.
public struct ScatterSeries: Sendable, Equatable {
    /// Legend text.
    public var label: String
    public var xs: [Double]
    public var ys: [Double]
    /// Half-length of a vertical error bar per point (e.g. one SD), y units; nil = none.
    public var yErrors: [Double]?
    public var colour: RGBColour

    public init(label: String, xs: [Double], ys: [Double], yErrors: [Double]? = nil, colour: RGBColour) {
        self.label = label; self.xs = xs; self.ys = ys; self.yErrors = yErrors; self.colour = colour
    }
}

/// A straight reference line y = slope * x + intercept across the plot (identity, bias, limits
/// of agreement, a regression line).
public struct ScatterLine: Sendable, Equatable {
    public var label: String
    public var slope: Double
    public var intercept: Double
    public var colour: RGBColour
    public var dashed: Bool

    public init(label: String, slope: Double, intercept: Double, colour: RGBColour, dashed: Bool = false) {
        self.label = label; self.slope = slope; self.intercept = intercept; self.colour = colour; self.dashed = dashed
    }

    /// y = x.
    public static func identity(label: String = "identity (y = x)") -> ScatterLine {
        ScatterLine(label: label, slope: 1, intercept: 0, colour: RGBColour(0.35, 0.35, 0.35), dashed: true)
    }

    /// y = value (a Bland–Altman bias or limit of agreement).
    public static func horizontal(_ label: String, y: Double, colour: RGBColour, dashed: Bool = false) -> ScatterLine {
        ScatterLine(label: label, slope: 0, intercept: y, colour: colour, dashed: dashed)
    }
}

/// Where the scatter plot goes on the figure and how data maps to pixels.
struct ScatterLayout: Sendable {
    static let margin = (left: 96, right: 32, top: 64, bottom: 84)
    var plot: PixelRect
    var xRange: ClosedRange<Double>
    var yRange: ClosedRange<Double>

    /// Axes cover every finite point with its error bar and every horizontal line; with
    /// `square` x and y share one range (estimated vs true plots, so the identity is diagonal).
    init(series: [ScatterSeries], lines: [ScatterLine], square: Bool, width: Int, height: Int) throws {
        let m = Self.margin
        plot = PixelRect(x: m.left, y: m.top, width: width - m.left - m.right, height: height - m.top - m.bottom)
        guard plot.width >= 100, plot.height >= 100 else {
            throw RenderError(.invalidInput, "scatter figure \(width)x\(height) leaves no room for the plot (need >= 228x248)")
        }
        var xs: [Double] = [], ys: [Double] = []
        for s in series {
            guard s.xs.count == s.ys.count, s.yErrors.map({ $0.count == s.xs.count }) ?? true else {
                throw RenderError(.invalidInput, "scatter series '\(s.label)': \(s.xs.count) x, \(s.ys.count) y and \(s.yErrors?.count ?? 0) error values")
            }
            for (n, (x, y)) in zip(s.xs, s.ys).enumerated() where x.isFinite && y.isFinite {
                let e = s.yErrors.map { $0[n].isFinite ? abs($0[n]) : 0 } ?? 0
                xs.append(x); ys += [y - e, y + e]
            }
        }
        guard !xs.isEmpty else { throw RenderError(.invalidInput, "scatter figure needs at least one finite point") }
        for l in lines where l.slope == 0 && l.intercept.isFinite { ys.append(l.intercept) }
        if square {
            // From 0 (or the lowest point) to the highest point or error bar; bars below clip.
            let all = xs + ys, points = xs + series.flatMap { zip($0.xs, $0.ys).filter { $0.isFinite && $1.isFinite }.map(\.1) }
            let r = Ticks.expanded(min(0, points.min()!)...all.max()!, target: 6)
            (xRange, yRange) = (r, r)
        } else {
            xRange = Ticks.expanded(xs.min()!...xs.max()!, target: 6)
            yRange = Ticks.expanded(ys.min()!...ys.max()!, target: 6)
        }
    }

    /// Page pixel of a data point.
    func point(x: Double, y: Double) -> (x: Double, y: Double) {
        (Double(plot.x) + Colormap.fraction(x, in: xRange) * Double(plot.width),
         Double(plot.maxY) - Colormap.fraction(y, in: yRange) * Double(plot.height))
    }

    /// The part of a line inside the plot's ranges (nil when it misses them).
    func clipped(_ l: ScatterLine) -> (a: (x: Double, y: Double), b: (x: Double, y: Double))? {
        var lo = xRange.lowerBound, hi = xRange.upperBound
        if l.slope == 0 {
            guard yRange.contains(l.intercept) else { return nil }
        } else {
            let x1 = (yRange.lowerBound - l.intercept) / l.slope, x2 = (yRange.upperBound - l.intercept) / l.slope
            lo = max(lo, min(x1, x2)); hi = min(hi, max(x1, x2))
            guard lo < hi else { return nil }
        }
        return (point(x: lo, y: l.slope * lo + l.intercept), point(x: hi, y: l.slope * hi + l.intercept))
    }
}

/// Scatter figures for the validation report: estimated vs true with the identity line, and
/// Bland–Altman plots (mean on x, difference on y, bias and limits of agreement). White
/// background, grid, axes with ticks and unit labels, points (filled circles) with optional
/// error bars, reference lines and a legend in the plot corner that hides the fewest points
/// (entries with an empty label are left out).
public enum ScatterFigure {
    static let pointRadius = 4.5

    /// Draws the figure; `square` gives x and y one range (use for estimated vs true).
    /// Throws `RenderError` when there is no finite point or counts differ.
    public static func draw(_ series: [ScatterSeries], lines: [ScatterLine], title: String, xLabel: String,
                            yLabel: String, square: Bool, width: Int = 800, height: Int = 600) throws -> RGBImage {
        let layout = try ScatterLayout(series: series, lines: lines, square: square, width: width, height: height)
        let c = try Canvas(width: width, height: height, background: .white)
        let plot = layout.plot, ink = CurvePlot.ink, tickFont = CurvePlot.tickFont
        let xStep = Ticks.niceStep(span: layout.xRange.upperBound - layout.xRange.lowerBound, target: 6)
        let yStep = Ticks.niceStep(span: layout.yRange.upperBound - layout.yRange.lowerBound, target: 6)
        let tm = try c.lineMetrics(tickFont)
        for x in Ticks.values(in: layout.xRange, target: 6) {
            let px = layout.point(x: x, y: layout.yRange.lowerBound).x.rounded() + 0.5
            try c.line(from: (px, Double(plot.y)), to: (px, Double(plot.maxY)), CurvePlot.gridColour)
            try c.line(from: (px, Double(plot.maxY)), to: (px, Double(plot.maxY) + 6), ink, lineWidth: 1.5)
            try c.text(Ticks.label(x, step: xStep), x: px, top: Double(plot.maxY) + 9, tickFont, ink, align: .centre)
        }
        for y in Ticks.values(in: layout.yRange, target: 6) {
            let py = layout.point(x: layout.xRange.lowerBound, y: y).y.rounded() + 0.5
            try c.line(from: (Double(plot.x), py), to: (Double(plot.maxX), py), CurvePlot.gridColour)
            try c.line(from: (Double(plot.x) - 6, py), to: (Double(plot.x), py), ink, lineWidth: 1.5)
            try c.text(Ticks.label(y, step: yStep), x: Double(plot.x) - 10, top: py - tm.ascent * 0.62,
                       tickFont, ink, align: .right)
        }
        for l in lines {
            guard let (a, b) = layout.clipped(l) else { continue }
            try c.line(from: a, to: b, l.colour, lineWidth: 2, dash: l.dashed ? [8, 5] : [])
        }
        for s in series {
            for (n, (x, y)) in zip(s.xs, s.ys).enumerated() where x.isFinite && y.isFinite {
                let p = layout.point(x: x, y: y)
                if let e = s.yErrors?[n], e.isFinite, e > 0 {
                    let yr = layout.yRange
                    let top = layout.point(x: x, y: min(yr.upperBound, y + abs(e))).y
                    let bottom = layout.point(x: x, y: max(yr.lowerBound, y - abs(e))).y
                    try c.line(from: (p.x, top), to: (p.x, bottom), s.colour, lineWidth: 1.2)
                }
                try c.fillCircle(x: p.x, y: p.y, radius: pointRadius, s.colour)
            }
        }
        try c.strokeRect(plot.inset(-1), ink, lineWidth: 1.5)

        let am = try c.lineMetrics(CurvePlot.axisFont)
        try c.text(xLabel, x: plot.midX, top: Double(plot.maxY) + 14 + tm.lineHeight, CurvePlot.axisFont, ink, align: .centre)
        try c.verticalText(yLabel, cx: 12 + am.lineHeight / 2, cy: plot.midY, CurvePlot.axisFont, ink)
        let titleFont = try c.fitted(title, maxWidth: Double(width - 24), CurvePlot.titleFont, minSize: 14)
        try c.text(title, x: Double(width) / 2, top: 16, titleFont, ink, align: .centre)
        try drawLegend(series: series, lines: lines, on: c, layout: layout)
        return try c.rgbImage()
    }

    /// Legend box in the plot corner covering the fewest points (top-left on a tie): a dot per
    /// series, a line sample per line.
    private static func drawLegend(series: [ScatterSeries], lines: [ScatterLine], on c: Canvas, layout: ScatterLayout) throws {
        let plot = layout.plot
        let font = Font(size: 14)
        // Entries with an empty label (e.g. the second limit of agreement) are not listed.
        let entries = (series.map { ($0.label, $0.colour, false, false) } + lines.map { ($0.label, $0.colour, true, $0.dashed) })
            .filter { !$0.0.isEmpty }
        guard !entries.isEmpty else { return }
        let m = try c.lineMetrics(font)
        let sample = 28.0
        var textW = 0.0
        for e in entries { textW = max(textW, try c.textWidth(e.0, font)) }
        let boxW = Int(min(Double(plot.width) - 20, sample + 18 + textW + 12))
        let boxH = Int(Double(entries.count) * m.lineHeight * 1.15 + 10)
        let points = series.flatMap { s in
            zip(s.xs, s.ys).filter { $0.0.isFinite && $0.1.isFinite }.map { layout.point(x: $0.0, y: $0.1) }
        }
        let left = plot.x + 10, right = plot.maxX - 10 - boxW, top = plot.y + 10, bottom = plot.maxY - 10 - boxH
        let corners = [(left, top), (right, top), (left, bottom), (right, bottom)].map {
            PixelRect(x: $0.0, y: $0.1, width: boxW, height: boxH)
        }
        func covered(_ r: PixelRect) -> Int {
            let margin = pointRadius + 2
            return points.filter {
                $0.x >= Double(r.x) - margin && $0.x <= Double(r.maxX) + margin
                    && $0.y >= Double(r.y) - margin && $0.y <= Double(r.maxY) + margin
            }.count
        }
        let box = corners.min { covered($0) < covered($1) } ?? corners[0]
        try c.fill(box, .white, alpha: 0.9)
        try c.strokeRect(box, RGBColour(0.6, 0.6, 0.6))
        for (n, e) in entries.enumerated() {
            let top = Double(box.y) + 5 + Double(n) * m.lineHeight * 1.15
            let midY = top + m.lineHeight / 2, x0 = Double(box.x) + 8
            if e.2 {
                try c.line(from: (x0, midY), to: (x0 + sample, midY), e.1, lineWidth: 2, dash: e.3 ? [8, 5] : [])
            } else {
                try c.fillCircle(x: x0 + sample / 2, y: midY, radius: pointRadius, e.1)
            }
            try c.text(e.0, x: x0 + sample + 10, top: top, font, CurvePlot.ink)
        }
    }
}
