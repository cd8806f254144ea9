/// A picture as packed 8-bit RGB, row-major from the top-left pixel: what a PNG stores and what
/// a DICOM Secondary Capture image carries (PhotometricInterpretation RGB,
/// PlanarConfiguration 0, BitsAllocated 8).
public struct RGBImage: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// R, G, B bytes of each pixel, rows top to bottom; count = width * height * 3.
    public var rgb: [UInt8]

    public init(width: Int, height: Int, rgb: [UInt8]) {
        precondition(width >= 0 && height >= 0 && rgb.count == width * height * 3,
                     "RGBImage: \(rgb.count) bytes for \(width)x\(height) pixels")
        self.width = width
        self.height = height
        self.rgb = rgb
    }

    /// The colour of pixel (x, y), x from the left edge, y from the top.
    public func pixel(_ x: Int, _ y: Int) -> (r: UInt8, g: UInt8, b: UInt8) {
        let o = 3 * (x + width * y)
        return (rgb[o], rgb[o + 1], rgb[o + 2])
    }

    /// Write the image as an 8-bit PNG at `path`, atomically: cairo writes a temporary file in
    /// the same directory, which is fsynced and renamed over `path`. No temporary file remains,
    /// whether it succeeds or throws.
    public func writePNG(to path: String) throws {
        try PNG.write(self, to: path)
    }

    /// Read a PNG (any format cairo reads; transparency is composited over black).
    public init(contentsOfPNG path: String) throws {
        self = try PNG.read(path)
    }
}
