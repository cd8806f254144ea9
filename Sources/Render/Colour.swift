/// An sRGB colour with components in 0...1 (cairo's convention).
public struct RGBColour: Sendable, Equatable, Hashable {
    public var r: Double
    public var g: Double
    public var b: Double

    public init(_ r: Double, _ g: Double, _ b: Double) {
        self.r = r; self.g = g; self.b = b
    }

    /// The colour as 8-bit components, rounded and clamped to 0...255.
    public var bytes: (r: UInt8, g: UInt8, b: UInt8) {
        (Self.byte(r), Self.byte(g), Self.byte(b))
    }

    /// Linear mix: `self` at weight 1 - t, `other` at weight t (t in 0...1).
    public func mixed(with other: RGBColour, _ t: Double) -> RGBColour {
        RGBColour(r + (other.r - r) * t, g + (other.g - g) * t, b + (other.b - b) * t)
    }

    static func byte(_ v: Double) -> UInt8 {
        guard v.isFinite else { return 0 }
        return UInt8(max(0, min(255, (v * 255).rounded())))
    }

    public static let black = RGBColour(0, 0, 0)
    public static let white = RGBColour(1, 1, 1)
    /// Core overlay on pages and figures (DESIGN 6: core/penumbra overlays).
    public static let core = RGBColour(1, 0, 1)
    /// Penumbra overlay on pages and figures.
    public static let penumbra = RGBColour(0, 0.85, 0)
    /// Curve colours for the AIF (red) and VOF (blue) QA figure.
    public static let arterial = RGBColour(0.84, 0.15, 0.16)
    public static let venous = RGBColour(0.12, 0.35, 0.80)
}
