/// Colour scales for maps. Each is piecewise linear between stops at fractions of the display
/// range; values outside the range saturate at the end colours.
public enum Colormap: String, Sendable, CaseIterable {
    /// Rainbow for CBF, CBV and MTT, like commercial CTP maps:
    /// dark blue -> blue -> cyan -> green -> yellow -> red.
    case perfusion
    /// Tmax (display range typically 0...10 s): dark blue through cyan and green, yellow at 60 %
    /// (6 s on 0...10), orange, red at the top; everything above the range stays red.
    case tmax
    /// Black to white (CT in a window).
    case grey

    /// Stops: (fraction of range, colour), fractions ascending from 0 to 1.
    var stops: [(t: Double, c: RGBColour)] {
        switch self {
        case .perfusion:
            return [(0.0, RGBColour(0, 0, 0.5)), (0.15, RGBColour(0, 0, 1)), (0.38, RGBColour(0, 1, 1)),
                    (0.55, RGBColour(0, 1, 0)), (0.75, RGBColour(1, 1, 0)), (1.0, RGBColour(1, 0, 0))]
        case .tmax:
            return [(0.0, RGBColour(0, 0, 0.4)), (0.25, RGBColour(0, 0.35, 1)), (0.4, RGBColour(0, 0.8, 1)),
                    (0.5, RGBColour(0.1, 0.85, 0.3)), (0.6, RGBColour(1, 1, 0)), (0.8, RGBColour(1, 0.5, 0)),
                    (1.0, RGBColour(1, 0, 0))]
        case .grey:
            return [(0.0, .black), (1.0, .white)]
        }
    }

    /// Colour at fraction `t` of the range (clamped to 0...1; NaN gives the bottom colour).
    public func colour(at t: Double) -> RGBColour {
        let s = stops
        let u = t.isNaN ? 0 : max(0, min(1, t))
        for n in 1..<s.count where u <= s[n].t {
            let span = s[n].t - s[n - 1].t
            return s[n - 1].c.mixed(with: s[n].c, span > 0 ? (u - s[n - 1].t) / span : 1)
        }
        return s[s.count - 1].c
    }

    /// Colour of `value` displayed over `range` (same unit as the map).
    public func colour(for value: Double, in range: ClosedRange<Double>) -> RGBColour {
        colour(at: Colormap.fraction(value, in: range))
    }

    /// Position of a value in a range, 0 at the lower bound and 1 at the upper (not clamped).
    static func fraction(_ value: Double, in range: ClosedRange<Double>) -> Double {
        let span = range.upperBound - range.lowerBound
        return span > 0 ? (value - range.lowerBound) / span : 0
    }

}

/// A colormap sampled at 4096 levels as ARGB32 words, for filling pixel images (fine enough
/// that the steepest stop of a colormap moves a channel by at most one level between entries).
struct ColourTable: Sendable {
    static let levels = 4096
    let words: [UInt32]

    init(_ map: Colormap) {
        words = (0..<ColourTable.levels).map { PixelImage.word(map.colour(at: Double($0) / Double(ColourTable.levels - 1))) }
    }

    /// Word for `value` over `range` (clamped; NaN handled by the caller).
    func word(_ value: Double, in range: ClosedRange<Double>) -> UInt32 {
        let t = Colormap.fraction(value, in: range)
        let n = Int((max(0, min(1, t)) * Double(ColourTable.levels - 1)).rounded())
        return words[n]
    }
}
