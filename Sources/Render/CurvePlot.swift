/// One curve of the AIF/VOF QA figure: enhancement over time.
public struct CurveSeries: Sendable, Equatable {
    /// Legend text, e.g. "AIF (left MCA)".
    public var label: String
    /// Sample times, s (same count as `values`).
    public var timesS: [Double]
    /// Values at those times, in the figure's y unit (HU of enhancement for AIF/VOF).
    /// Non-finite values break the line.
    public var values: [Double]
    /// Line colour.
    public var colour: RGBColour

    public init(label: String, timesS: [Double], values: [Double], colour: RGBColour) {
        self.label = label; self.timesS = timesS; self.values = values; self.colour = colour
    }
}

/// A vertical marker line on the curve figure (e.g. bolus arrival, end of baseline), at `timeS`.
public struct CurveMarker: Sendable, Equatable {
    public var label: String
    /// Time of the marker, s.
    public var timeS: Double
    public var colour: RGBColour

    public init(label: String, timeS: Double, colour: RGBColour = RGBColour(0.35, 0.35, 0.35)) {
        self.label = label; self.timeS = timeS; self.colour = colour
    }
}

/// Where the plot goes on the curve figure and how data maps to pixels.
struct CurvePlotLayout: Sendable {
    static let margin = (left: 96, right: 32, top: 64, bottom: 84)
    var plot: PixelRect
    var xRange: ClosedRange<Double>   // s
    var yRange: ClosedRange<Double>   // figure's y unit

    init(series: [CurveSeries], markers: [CurveMarker], width: Int, height: Int) throws {
        let m = CurvePlotLayout.margin
        plot = PixelRect(x: m.left, y: m.top, width: width - m.left - m.right, height: height - m.top - m.bottom)
        guard plot.width >= 100, plot.height >= 100 else {
            throw RenderError(.invalidInput, "curve figure \(width)x\(height) leaves no room for the plot (need >= 228x248)")
        }
        var ts: [Double] = markers.map(\.timeS).filter(\.isFinite)
        var vs: [Double] = [0]
        for s in series {
            guard s.timesS.count == s.values.count else {
                throw RenderError(.invalidInput, "curve '\(s.label)': \(s.timesS.count) times but \(s.values.count) values")
            }
            for (t, v) in zip(s.timesS, s.values) where t.isFinite && v.isFinite { ts.append(t); vs.append(v) }
        }
        guard ts.count > 0, !series.isEmpty, vs.count > 1 else {
            throw RenderError(.invalidInput, "curve figure needs at least one series with a finite sample")
        }
        xRange = Ticks.expanded(ts.min()!...ts.max()!, target: 8)
        yRange = Ticks.expanded(vs.min()!...vs.max()!, target: 6)
    }

    /// Page pixel of a data point (t in s, v in the y unit).
    func point(t: Double, v: Double) -> (x: Double, y: Double) {
        (Double(plot.x) + Colormap.fraction(t, in: xRange) * Double(plot.width),
         Double(plot.maxY) - Colormap.fraction(v, in: yRange) * Double(plot.height))
    }
}

/// Drawing the curve figure: white background, grid, axes with ticks and units, curves with
/// sample dots, markers, legend and title.
enum CurvePlot {
    static let titleFont = Font(size: 24, bold: true)
    static let axisFont = Font(size: 18)
    static let tickFont = Font(size: 16)
    static let legendFont = Font(size: 17)
    static let ink = RGBColour(0.1, 0.1, 0.1)
    static let gridColour = RGBColour(0.86, 0.86, 0.86)

    static func draw(_ series: [CurveSeries], markers: [CurveMarker], title: String, xLabel: String,
                     yLabel: String, width: Int, height: Int) throws -> RGBImage {
        let layout = try CurvePlotLayout(series: series, markers: markers, width: width, height: height)
        let c = try Canvas(width: width, height: height, background: .white)
        let plot = layout.plot

        // Grid lines and tick labels.
        let xStep = Ticks.niceStep(span: layout.xRange.upperBound - layout.xRange.lowerBound, target: 8)
        let yStep = Ticks.niceStep(span: layout.yRange.upperBound - layout.yRange.lowerBound, target: 6)
        let tm = try c.lineMetrics(tickFont)
        for t in Ticks.values(in: layout.xRange, target: 8) {
            let x = layout.point(t: t, v: layout.yRange.lowerBound).x.rounded() + 0.5
            try c.line(from: (x, Double(plot.y)), to: (x, Double(plot.maxY)), gridColour)
            try c.line(from: (x, Double(plot.maxY)), to: (x, Double(plot.maxY) + 6), ink, lineWidth: 1.5)
            try c.text(Ticks.label(t, step: xStep), x: x, top: Double(plot.maxY) + 9, tickFont, ink, align: .centre)
        }
        for v in Ticks.values(in: layout.yRange, target: 6) {
            let y = layout.point(t: layout.xRange.lowerBound, v: v).y.rounded() + 0.5
            try c.line(from: (Double(plot.x), y), to: (Double(plot.maxX), y), gridColour)
            try c.line(from: (Double(plot.x) - 6, y), to: (Double(plot.x), y), ink, lineWidth: 1.5)
            try c.text(Ticks.label(v, step: yStep), x: Double(plot.x) - 10, top: y - tm.ascent * 0.62,
                       tickFont, ink, align: .right)
        }
        // Zero line when the y range spans both signs.
        if layout.yRange.lowerBound < 0 && layout.yRange.upperBound > 0 {
            let y0 = layout.point(t: 0, v: 0).y.rounded() + 0.5
            try c.line(from: (Double(plot.x), y0), to: (Double(plot.maxX), y0), RGBColour(0.6, 0.6, 0.6), lineWidth: 1)
        }

        // Markers, then curves on top.
        let mm = try c.lineMetrics(tickFont)
        for (n, mk) in markers.enumerated() where mk.timeS.isFinite {
            let x = layout.point(t: mk.timeS, v: 0).x.rounded() + 0.5
            try c.line(from: (x, Double(plot.y)), to: (x, Double(plot.maxY)), mk.colour, lineWidth: 1.5, dash: [6, 4])
            try c.text(mk.label, x: x + 4, top: Double(plot.y) + 4 + Double(n) * mm.lineHeight, tickFont, mk.colour)
        }
        for s in series {
            let pts = zip(s.timesS, s.values).map { t, v in
                t.isFinite && v.isFinite ? layout.point(t: t, v: v) : (x: Double.nan, y: Double.nan)
            }
            try c.polyline(pts, s.colour, lineWidth: 2.5)
            for p in pts where p.x.isFinite && p.y.isFinite {
                try c.fillCircle(x: p.x, y: p.y, radius: 3.2, s.colour)
            }
        }
        try c.strokeRect(plot.inset(-1), ink, lineWidth: 1.5)

        // Labels and title.
        let am = try c.lineMetrics(axisFont)
        try c.text(xLabel, x: plot.midX, top: Double(plot.maxY) + 14 + tm.lineHeight, axisFont, ink, align: .centre)
        try c.verticalText(yLabel, cx: 12 + am.lineHeight / 2, cy: plot.midY, axisFont, ink)
        let titleFitted = try c.fitted(title, maxWidth: Double(width - 24), titleFont, minSize: 16)
        try c.text(title, x: Double(width) / 2, top: 16, titleFitted, ink, align: .centre)

        try drawLegend(series, on: c, plot: plot)
        return try c.rgbImage()
    }

    /// Legend box in the plot's top-right corner: a line sample and the label per series.
    private static func drawLegend(_ series: [CurveSeries], on c: Canvas, plot: PixelRect) throws {
        let m = try c.lineMetrics(legendFont)
        let sample = 34.0
        var textW = 0.0
        for s in series { textW = max(textW, try c.textWidth(s.label, legendFont)) }
        let boxW = Int(min(Double(plot.width) - 20, sample + 18 + textW + 16))
        let boxH = Int(Double(series.count) * m.lineHeight * 1.2 + 12)
        let box = PixelRect(x: plot.maxX - boxW - 10, y: plot.y + 10, width: boxW, height: boxH)
        try c.fill(box, .white, alpha: 0.92)
        try c.strokeRect(box, RGBColour(0.6, 0.6, 0.6))
        for (n, s) in series.enumerated() {
            let top = Double(box.y) + 6 + Double(n) * m.lineHeight * 1.2
            let midY = top + m.lineHeight / 2
            try c.line(from: (Double(box.x) + 8, midY), to: (Double(box.x) + 8 + sample, midY), s.colour, lineWidth: 2.5)
            try c.fillCircle(x: Double(box.x) + 8 + sample / 2, y: midY, radius: 3.2, s.colour)
            try c.text(s.label, x: Double(box.x) + 18 + sample, top: top, legendFont, ink)
        }
    }
}
