import CCairo
import FileSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// PNG files through cairo: write atomically (temp -> fsync -> rename -> fsync directory),
/// read back for checks.
enum PNG {
    static func write(_ image: RGBImage, to path: String) throws {
        guard image.width > 0, image.height > 0 else {
            throw RenderError(.invalidInput, "cannot write an empty \(image.width)x\(image.height) image to \(path)")
        }
        let s = try Cairo.imageSurface(width: image.width, height: image.height)
        defer { cairo_surface_destroy(s) }
        var argb = [UInt32](repeating: 0, count: image.width * image.height)
        image.rgb.withUnsafeBufferPointer { rgb in
            for p in 0..<argb.count {
                argb[p] = 0xFF00_0000 | UInt32(rgb[3 * p]) << 16 | UInt32(rgb[3 * p + 1]) << 8 | UInt32(rgb[3 * p + 2])
            }
        }
        try Cairo.store(argb, width: image.width, height: image.height, into: s)

        do {
            try DurableFile.write(to: path) { temp in
                let st = cairo_surface_write_to_png(s, temp)
                guard st == CAIRO_STATUS_SUCCESS else { throw Cairo.error("cairo_surface_write_to_png(\(temp))", st) }
            }
        } catch let e as FileSystemError {
            throw RenderError(.io, e.message + " — is the directory writable?")
        }
    }

    static func read(_ path: String) throws -> RGBImage {
        guard let s = cairo_image_surface_create_from_png(path) else {
            throw RenderError(.cairo, "cairo_image_surface_create_from_png(\(path)) returned nil")
        }
        defer { cairo_surface_destroy(s) }
        let st = cairo_surface_status(s)
        guard st == CAIRO_STATUS_SUCCESS else { throw Cairo.error("cairo_image_surface_create_from_png(\(path))", st) }
        let w = Int(cairo_image_surface_get_width(s))
        let h = Int(cairo_image_surface_get_height(s))
        guard cairo_image_surface_get_format(s) == CAIRO_FORMAT_ARGB32 || cairo_image_surface_get_format(s) == CAIRO_FORMAT_RGB24 else {
            throw RenderError(.invalidInput, "\(path): PNG decoded to an unsupported cairo format")
        }
        let argb = try Cairo.load(s, width: w, height: h)
        var rgb = [UInt8](repeating: 0, count: w * h * 3)
        for p in 0..<(w * h) {
            rgb[3 * p] = UInt8(truncatingIfNeeded: argb[p] >> 16)
            rgb[3 * p + 1] = UInt8(truncatingIfNeeded: argb[p] >> 8)
            rgb[3 * p + 2] = UInt8(truncatingIfNeeded: argb[p])
        }
        return RGBImage(width: w, height: h, rgb: rgb)
    }

}
