import Imaging

/// QA figures for researchers (PNG next to the NIfTI maps): the AIF/VOF curves, a map's
/// maximum-intensity projection, and core/penumbra projected over the CT (DESIGN 6).
public enum Figures {
    /// The CT window of grey backgrounds, HU: brain grey/white matter contrast (0–80 HU).
    public static let ctWindowHU: ClosedRange<Double> = 0...80

    /// AIF and VOF curves: time (s) on x, enhancement (HU) on y, axes with ticks and units,
    /// legend, title, and optional dashed vertical markers (e.g. baseline end, bolus arrival).
    /// White background; the x axis spans the samples and markers, the y axis includes 0.
    public static func curves(_ series: [CurveSeries], title: String, xLabel: String, yLabel: String,
                              width: Int = 900, height: Int = 600, markers: [CurveMarker] = []) throws -> RGBImage {
        try CurvePlot.draw(series, markers: markers, title: title, xLabel: xLabel, yLabel: yLabel,
                           width: width, height: height)
    }

    /// Maximum-intensity projection over k of a map (values where `mask` > 0.5 when given;
    /// NaN is ignored), through `colormap` over `range` (map units; outside saturates), with a
    /// colour bar labelled with `unit`, a title and orientation letters. Black background
    /// where no voxel of a column counts. 1024 x 720 pixels.
    public static func mip(_ map: Volume3D, mask: Volume3D?, colormap: Colormap, range: ClosedRange<Double>,
                           title: String, unit: String) throws -> RGBImage {
        try Validate.volume(map, "map")
        if let mask { try Validate.sameShape(mask, "mask", as: map, "map") }
        try Validate.range(range, "MIP")
        let layout = FigureLayout(grid: map.grid)
        let c = try Canvas(width: FigureLayout.size.width, height: FigureLayout.size.height, background: .black)
        let plane = Plane.maxProjection(map, mask: mask).resampled(width: layout.image.width, height: layout.image.height)
        try c.paint(Raster.coloured(plane, colormap, range: range), x: layout.image.x, y: layout.image.y)
        try FigureLayout.decorate(c, layout: layout, grid: map.grid, title: title)
        try ColourBar.draw(on: c, bar: layout.colourBar, colormap: colormap, range: range, unit: unit,
                           textColour: .white)
        return try c.rgbImage()
    }

    /// Core (magenta) and penumbra (green) projected over k (a column is marked when any of
    /// its voxels is) on the average-intensity projection of the time-averaged CT, grey in the
    /// 0–80 HU window. `legend[0]` is shown beside the core colour, `legend[1]` beside the
    /// penumbra colour (e.g. "Core (rCBF<30%): 19.2 mL"), further entries as plain lines
    /// (a legend too long for the side panel throws). 1024 x 720 pixels.
    public static func lesionOverlayMIP(ct: Volume3D, core: Volume3D, penumbra: Volume3D, title: String,
                                        legend: [String]) throws -> RGBImage {
        try Validate.volume(ct, "ct")
        try Validate.sameShape(core, "core", as: ct, "ct")
        try Validate.sameShape(penumbra, "penumbra", as: ct, "ct")
        let layout = FigureLayout(grid: ct.grid)
        let (w, h) = (layout.image.width, layout.image.height)
        let c = try Canvas(width: FigureLayout.size.width, height: FigureLayout.size.height, background: .black)
        var img = Raster.grey(Plane.meanProjection(ct).resampled(width: w, height: h), window: ctWindowHU)
        let coreCov = Plane.anyProjection(core).resampled(width: w, height: h)
        var penCov = Plane.anyProjection(penumbra).resampled(width: w, height: h)
        for n in 0..<penCov.values.count { penCov.values[n] = min(penCov.values[n], 1 - coreCov.values[n]) }
        Raster.overlay(&img, coverage: penCov, .penumbra, opacity: Overlay.opacity)
        Raster.overlay(&img, coverage: coreCov, .core, opacity: Overlay.opacity)
        try c.paint(img, x: layout.image.x, y: layout.image.y)
        try FigureLayout.decorate(c, layout: layout, grid: ct.grid, title: title)
        let colours: [RGBColour?] = [.core, .penumbra]
        let entries = legend.enumerated().map { (n, text) in (colour: n < colours.count ? colours[n] : nil, text: text) }
        try Legend.draw(on: c, entries: entries, x: Double(layout.panel.x), top: Double(layout.panel.y),
                        width: Double(layout.panel.width), maxY: Double(layout.panel.maxY), textColour: .white)
        return try c.rgbImage()
    }
}
