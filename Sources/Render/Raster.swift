/// Turning planes of numbers into pixels: CT in a grey window, maps through a colour table,
/// masks blended on top. Planes arrive already resampled to display size.
enum Raster {
    /// Grey CT: `window` (HU) maps black to white; NaN is drawn as `background`.
    static func grey(_ p: Plane, window: ClosedRange<Double>, background: RGBColour = .black) -> PixelImage {
        var img = PixelImage(width: p.nx, height: p.ny, fill: background)
        let table = ColourTable(.grey)
        for n in 0..<p.values.count where p.values[n].isFinite {
            img.argb[n] = table.word(Double(p.values[n]), in: window)
        }
        return img
    }

    /// A map through a colormap over `range`; NaN (no data, outside the brain) is `background`.
    static func coloured(_ p: Plane, _ map: Colormap, range: ClosedRange<Double>,
                         background: RGBColour = .black) -> PixelImage {
        var img = PixelImage(width: p.nx, height: p.ny, fill: background)
        let table = ColourTable(map)
        for n in 0..<p.values.count where p.values[n].isFinite {
            img.argb[n] = table.word(Double(p.values[n]), in: range)
        }
        return img
    }

    /// Blend `colour` over the image where the coverage plane (0...1, same size) is positive,
    /// with opacity `opacity * coverage`.
    static func overlay(_ img: inout PixelImage, coverage: Plane, _ colour: RGBColour, opacity: Double) {
        let (cr, cg, cb) = colour.bytes
        for n in 0..<img.argb.count {
            let f = coverage.values[n]
            guard f.isFinite, f > 0 else { continue }
            let a = opacity * Double(min(1, f))
            let w = img.argb[n]
            func mix(_ old: UInt32, _ new: UInt8) -> UInt32 {
                UInt32((Double(old & 0xFF) * (1 - a) + Double(new) * a).rounded())
            }
            img.argb[n] = 0xFF00_0000 | mix(w >> 16, cr) << 16 | mix(w >> 8, cg) << 8 | mix(w, cb)
        }
    }
}
