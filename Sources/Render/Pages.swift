import Imaging

/// The RGB pages that become DICOM Secondary Capture images for radiologists (DESIGN 6):
/// 1024 x 1024, black background, a red "research use only" band on top, slices in the
/// radiological convention (voxel (i, j) at image column i, row j; true aspect from the
/// voxel spacing), each slice labelled with its index k.
public enum Pages {
    /// The CT window of the summary page, HU.
    public static let ctWindowHU: ClosedRange<Double> = 0...80

    /// The summary page: axial slices of the (time-averaged) CT in the 0–80 HU window with core
    /// in magenta and penumbra in green, a header (patient-free text; lines split at "\n", the
    /// first in bold), a legend and the metric lines (e.g. "Core (rCBF<30%): 19.2 mL") in the
    /// side panel, the footer (thresholds, algorithm version; wrapped) at the bottom, and the
    /// "RESEARCH USE ONLY — NOT FOR DIAGNOSIS" band. Core wins where both masks are set.
    /// Metric lines and footer shrink (to 14 and 13 px) to fit; text that still does not fit,
    /// or more than three header lines, throws rather than being cut.
    public static func summary(ct: Volume3D, core: Volume3D, penumbra: Volume3D, lines: [String], header: String,
                               footer: String) throws -> RGBImage {
        try Validate.volume(ct, "ct")
        try Validate.sameShape(core, "core", as: ct, "ct")
        try Validate.sameShape(penumbra, "penumbra", as: ct, "ct")
        let layout = PageLayout.summary
        let c = try Canvas(width: PageLayout.size, height: PageLayout.size, background: .black)
        try layout.drawFrame(on: c, header: header, footer: footer)

        let slices = SliceGrid(grid: ct.grid, area: layout.grid)
        for (k, r) in zip(slices.slices, slices.imageRects) {
            var img = Raster.grey(Plane.slice(ct, k: k).resampled(width: r.width, height: r.height), window: ctWindowHU)
            let coreCov = Plane.slice(core, k: k).resampled(width: r.width, height: r.height)
            var penCov = Plane.slice(penumbra, k: k).resampled(width: r.width, height: r.height)
            for n in 0..<penCov.values.count { penCov.values[n] = min(penCov.values[n], 1 - coreCov.values[n]) }
            Raster.overlay(&img, coverage: penCov, .penumbra, opacity: Overlay.opacity)
            Raster.overlay(&img, coverage: coreCov, .core, opacity: Overlay.opacity)
            try c.paint(img, x: r.x, y: r.y)
        }
        try labelSlices(on: c, slices, grid: ct.grid)

        let p = layout.panel
        var y = try Legend.draw(on: c, entries: [(RGBColour.core, "Core"), (RGBColour.penumbra, "Penumbra")],
                            x: Double(p.x), top: Double(p.y), width: Double(p.width), maxY: Double(p.maxY),
                            textColour: PageLayout.textColour, font: PageLayout.metricsFont.withSize(20))
        y += 12
        try c.line(from: (Double(p.x), y - 6.5), to: (Double(p.maxX), y - 6.5), RGBColour(0.4, 0.4, 0.4))
        let f = try c.fitting(lines, width: Double(p.width), height: Double(p.maxY) - y, PageLayout.metricsFont,
                              minSize: 14, spacing: 1.3, hangingIndent: 18, what: "summary metric lines")
        try c.paragraphs(lines, x: Double(p.x), top: y, width: Double(p.width), maxY: Double(p.maxY), f,
                         PageLayout.textColour, spacing: 1.3, hangingIndent: 18)
        return try c.rgbImage()
    }

    /// One colour map (CBF, CBV, MTT or Tmax) as a slice grid through `colormap` over `range`
    /// (map units; values outside saturate), black outside `brain` (> 0.5) when given and where
    /// the map is NaN, a colour bar with `unit` and range ticks, `title` as the header, the
    /// footer and the research-use band.
    public static func mapPage(_ map: Volume3D, brain: Volume3D?, colormap: Colormap, range: ClosedRange<Double>,
                               title: String, unit: String, footer: String) throws -> RGBImage {
        try Validate.volume(map, "map")
        if let brain { try Validate.sameShape(brain, "brain", as: map, "map") }
        try Validate.range(range, "map page")
        let layout = PageLayout.map
        let c = try Canvas(width: PageLayout.size, height: PageLayout.size, background: .black)
        try layout.drawFrame(on: c, header: title, footer: footer)

        let slices = SliceGrid(grid: map.grid, area: layout.grid)
        for (k, r) in zip(slices.slices, slices.imageRects) {
            var plane = Plane.slice(map, k: k)
            if let brain { plane = plane.masked(by: Plane.slice(brain, k: k)) }
            let img = Raster.coloured(plane.resampled(width: r.width, height: r.height), colormap, range: range)
            try c.paint(img, x: r.x, y: r.y)
        }
        try labelSlices(on: c, slices, grid: map.grid)
        try ColourBar.draw(on: c, bar: layout.colourBar, colormap: colormap, range: range, unit: unit,
                           textColour: PageLayout.textColour)
        return try c.rgbImage()
    }

    /// Slice index at each image's top-left corner; orientation letters on the first image.
    private static func labelSlices(on c: Canvas, _ s: SliceGrid, grid: Grid) throws {
        for (k, r) in zip(s.slices, s.imageRects) {
            try c.text("\(k)", x: Double(r.x) + 4, top: Double(r.y) + 2, PageLayout.sliceLabelFont, .white, halo: .black)
        }
        if let first = s.imageRects.first {
            try OrientationLetters.draw(on: c, image: first, grid: grid, font: PageLayout.letterFont)
        }
    }
}
