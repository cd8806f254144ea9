import CCairo

/// A cairo ARGB32 image surface with its drawing context: the only place that creates, checks
/// and destroys cairo objects for drawing. Every method checks cairo's sticky status after its
/// call and throws a `RenderError` naming the call.
///
/// Not Sendable: one canvas belongs to one rendering function on one thread. Coordinates are
/// page pixels, x right and y down, origin at the top-left corner.
final class Canvas {
    let width: Int
    let height: Int
    private let surface: OpaquePointer
    private let cr: OpaquePointer

    /// A canvas of `width` x `height` pixels filled with `background`.
    init(width: Int, height: Int, background: RGBColour) throws {
        guard width > 0, height > 0, width <= 16384, height <= 16384 else {
            throw RenderError(.invalidInput, "canvas size \(width)x\(height) outside 1...16384")
        }
        let s = try Cairo.imageSurface(width: width, height: height)
        guard let c = cairo_create(s) else {
            cairo_surface_destroy(s)
            throw RenderError(.cairo, "cairo_create returned nil")
        }
        let st = cairo_status(c)
        guard st == CAIRO_STATUS_SUCCESS else {
            cairo_destroy(c); cairo_surface_destroy(s)
            throw Cairo.error("cairo_create", st)
        }
        self.width = width
        self.height = height
        self.surface = s
        self.cr = c
        try fill(PixelRect(x: 0, y: 0, width: width, height: height), background)
    }

    deinit {
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
    }

    /// The cairo context, for the drawing helpers in this module (Text); callers check status.
    var context: OpaquePointer { cr }

    /// Throw if the context is in an error state; `call` names the cairo call just made.
    func check(_ call: String) throws {
        let st = cairo_status(cr)
        guard st == CAIRO_STATUS_SUCCESS else { throw Cairo.error(call, st) }
    }

    func setColour(_ c: RGBColour, alpha: Double = 1) {
        cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha)
    }

    /// Fill a rectangle with a colour (alpha in 0...1 blends over what is there).
    func fill(_ rect: PixelRect, _ colour: RGBColour, alpha: Double = 1) throws {
        setColour(colour, alpha: alpha)
        cairo_rectangle(cr, Double(rect.x), Double(rect.y), Double(rect.width), Double(rect.height))
        cairo_fill(cr)
        try check("cairo_fill")
    }

    /// Outline a rectangle with a line of `lineWidth` pixels centred on the pixel edges inside it.
    func strokeRect(_ rect: PixelRect, _ colour: RGBColour, lineWidth: Double = 1) throws {
        setColour(colour)
        cairo_set_line_width(cr, lineWidth)
        let h = lineWidth / 2
        cairo_rectangle(cr, Double(rect.x) + h, Double(rect.y) + h,
                        Double(rect.width) - lineWidth, Double(rect.height) - lineWidth)
        cairo_stroke(cr)
        try check("cairo_stroke")
    }

    /// Stroke a polyline through `points` (page pixels). `dash` is the on/off pattern in pixels.
    /// Non-finite points break the line into separate pieces.
    func polyline(_ points: [(x: Double, y: Double)], _ colour: RGBColour, lineWidth: Double,
                  dash: [Double] = []) throws {
        setColour(colour)
        cairo_set_line_width(cr, lineWidth)
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND)
        dash.withUnsafeBufferPointer { cairo_set_dash(cr, $0.baseAddress, Int32($0.count), 0) }
        var penDown = false
        for p in points {
            guard p.x.isFinite, p.y.isFinite else { penDown = false; continue }
            if penDown { cairo_line_to(cr, p.x, p.y) } else { cairo_move_to(cr, p.x, p.y); penDown = true }
        }
        cairo_stroke(cr)
        cairo_set_dash(cr, nil, 0, 0)
        try check("cairo_stroke")
    }

    /// A straight line between two points, `lineWidth` pixels wide.
    func line(from a: (x: Double, y: Double), to b: (x: Double, y: Double), _ colour: RGBColour,
              lineWidth: Double = 1, dash: [Double] = []) throws {
        try polyline([a, b], colour, lineWidth: lineWidth, dash: dash)
    }

    /// A filled circle (legend markers), centre and radius in pixels.
    func fillCircle(x: Double, y: Double, radius: Double, _ colour: RGBColour) throws {
        setColour(colour)
        cairo_new_sub_path(cr)
        cairo_arc(cr, x, y, radius, 0, 2 * Double.pi)
        cairo_fill(cr)
        try check("cairo_fill")
    }

    /// Paint an opaque pixel image with its top-left corner at (x, y), one image pixel per page
    /// pixel (images are resampled to display size before they get here; no cairo filtering).
    func paint(_ image: PixelImage, x: Int, y: Int) throws {
        guard image.width > 0, image.height > 0 else { return }
        let s = try Cairo.imageSurface(width: image.width, height: image.height)
        defer { cairo_surface_destroy(s) }
        try Cairo.store(image.argb, width: image.width, height: image.height, into: s)
        cairo_set_source_surface(cr, s, Double(x), Double(y))
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST)
        cairo_rectangle(cr, Double(x), Double(y), Double(image.width), Double(image.height))
        cairo_fill(cr)
        try check("cairo_fill (image)")
    }

    /// The canvas as packed 8-bit RGB (what is drawn, composited over black where transparent).
    func rgbImage() throws -> RGBImage {
        cairo_surface_flush(surface)
        let argb = try Cairo.load(surface, width: width, height: height)
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for p in 0..<(width * height) {
            let v = argb[p]
            rgb[3 * p] = UInt8(truncatingIfNeeded: v >> 16)
            rgb[3 * p + 1] = UInt8(truncatingIfNeeded: v >> 8)
            rgb[3 * p + 2] = UInt8(truncatingIfNeeded: v)
        }
        return RGBImage(width: width, height: height, rgb: rgb)
    }
}

/// Pixels ready to paint: opaque ARGB32 words (0xAARRGGBB), row-major, `width` x `height`.
struct PixelImage: Sendable {
    var width: Int
    var height: Int
    var argb: [UInt32]

    init(width: Int, height: Int, fill: RGBColour = .black) {
        self.width = width
        self.height = height
        self.argb = [UInt32](repeating: PixelImage.word(fill), count: width * height)
    }

    /// An opaque ARGB32 word for a colour.
    static func word(_ c: RGBColour) -> UInt32 {
        let (r, g, b) = c.bytes
        return 0xFF00_0000 | UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b)
    }

    subscript(x: Int, y: Int) -> UInt32 {
        get { argb[x + width * y] }
        set { argb[x + width * y] = newValue }
    }
}

/// Checked wrappers for the cairo calls that create and move image data.
enum Cairo {
    static func error(_ call: String, _ status: cairo_status_t) -> RenderError {
        let text = cairo_status_to_string(status).map { String(cString: $0) } ?? "status \(status.rawValue)"
        return RenderError(.cairo, "\(call) failed: \(text)")
    }

    /// A new ARGB32 image surface (transparent black). The caller destroys it.
    static func imageSurface(width: Int, height: Int) throws -> OpaquePointer {
        guard let s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height)) else {
            throw RenderError(.cairo, "cairo_image_surface_create returned nil")
        }
        let st = cairo_surface_status(s)
        guard st == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(s)
            throw error("cairo_image_surface_create(\(width)x\(height))", st)
        }
        return s
    }

    /// Copy ARGB32 words into an image surface of the same size (row stride respected).
    static func store(_ argb: [UInt32], width: Int, height: Int, into s: OpaquePointer) throws {
        cairo_surface_flush(s)
        guard let data = cairo_image_surface_get_data(s) else {
            throw error("cairo_image_surface_get_data", cairo_surface_status(s))
        }
        let stride = Int(cairo_image_surface_get_stride(s))
        argb.withUnsafeBufferPointer { src in
            for row in 0..<height {
                let dst = UnsafeMutableRawPointer(data + row * stride).bindMemory(to: UInt32.self, capacity: width)
                dst.update(from: src.baseAddress! + row * width, count: width)
            }
        }
        cairo_surface_mark_dirty(s)
        let st = cairo_surface_status(s)
        guard st == CAIRO_STATUS_SUCCESS else { throw error("cairo_surface_mark_dirty", st) }
    }

    /// Read an image surface's ARGB32 words (row stride removed).
    static func load(_ s: OpaquePointer, width: Int, height: Int) throws -> [UInt32] {
        guard let data = cairo_image_surface_get_data(s) else {
            throw error("cairo_image_surface_get_data", cairo_surface_status(s))
        }
        let stride = Int(cairo_image_surface_get_stride(s))
        var out = [UInt32](repeating: 0, count: width * height)
        out.withUnsafeMutableBufferPointer { dst in
            for row in 0..<height {
                let src = UnsafeRawPointer(data + row * stride).bindMemory(to: UInt32.self, capacity: width)
                (dst.baseAddress! + row * width).update(from: src, count: width)
            }
        }
        return out
    }
}
