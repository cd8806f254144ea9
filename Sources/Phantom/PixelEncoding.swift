import Foundation

/// How a vendor-like layout stores HU in 16-bit pixels.
struct PixelEncoding: Sendable {
    var signed: Bool            // PixelRepresentation 1
    var bitsStored: Int
    var intercept: Double       // RescaleIntercept; slope is always 1
    /// HU range every phantom writes (the representable CT range).
    static let huRange: ClosedRange<Int16> = -1024...3071

    static func forLayout(_ layout: StudyLayout) -> PixelEncoding {
        switch layout {
        case .siemens, .philips: return PixelEncoding(signed: false, bitsStored: 12, intercept: -1024)
        case .ge: return PixelEncoding(signed: true, bitsStored: 16, intercept: -1024)
        case .canon, .enhanced: return PixelEncoding(signed: true, bitsStored: 16, intercept: 0)
        }
    }

    static func clampHU(_ hu: [Int16]) -> [Int16] { PhantomHU.clamped(hu) }

    /// Stored 16-bit words for clamped HU values.
    func encode(_ hu: ArraySlice<Int16>) -> [UInt16] {
        let offset = Int32(-intercept)
        return hu.map { UInt16(bitPattern: Int16(truncatingIfNeeded: Int32($0) + offset)) }
    }
}

/// The HU the phantom's files hold for a rendered frame.
public enum PhantomHU {
    /// Rendered HU clamped to the range every layout can store (-1024...3071).
    public static func clamped(_ hu: [Int16]) -> [Int16] {
        hu.map { min(max($0, PixelEncoding.huRange.lowerBound), PixelEncoding.huRange.upperBound) }
    }
}
