import Foundation

/// SOP classes ctperf knows by name (for messages and decisions).
public enum SOPClass {
    public static let ctImage = "1.2.840.10008.5.1.4.1.1.2"
    public static let enhancedCTImage = "1.2.840.10008.5.1.4.1.1.2.1"
    public static let mrImage = "1.2.840.10008.5.1.4.1.1.4"
    public static let enhancedMRImage = "1.2.840.10008.5.1.4.1.1.4.1"
    public static let secondaryCapture = "1.2.840.10008.5.1.4.1.1.7"
    public static let enhancedSR = "1.2.840.10008.5.1.4.1.1.88.22"
    public static let comprehensiveSR = "1.2.840.10008.5.1.4.1.1.88.33"
    public static let xRayRadiationDoseSR = "1.2.840.10008.5.1.4.1.1.88.67"
    public static let mediaStorageDirectory = "1.2.840.10008.1.3.10"

    private static let names: [String: String] = [
        ctImage: "CT Image Storage",
        enhancedCTImage: "Enhanced CT Image Storage",
        "1.2.840.10008.5.1.4.1.1.2.2": "Legacy Converted Enhanced CT Image Storage",
        mrImage: "MR Image Storage",
        enhancedMRImage: "Enhanced MR Image Storage",
        secondaryCapture: "Secondary Capture Image Storage",
        "1.2.840.10008.5.1.4.1.1.7.4": "Multi-frame True Color Secondary Capture Image Storage",
        "1.2.840.10008.5.1.4.1.1.88.11": "Basic Text SR Storage",
        enhancedSR: "Enhanced SR Storage",
        comprehensiveSR: "Comprehensive SR Storage",
        xRayRadiationDoseSR: "X-Ray Radiation Dose SR Storage",
        "1.2.840.10008.5.1.4.1.1.1": "Computed Radiography Image Storage",
        "1.2.840.10008.5.1.4.1.1.128": "PET Image Storage",
        "1.2.840.10008.5.1.4.1.1.66": "Raw Data Storage",
        "1.2.840.10008.5.1.4.1.1.11.1": "Grayscale Softcopy Presentation State Storage",
        "1.2.840.10008.5.1.4.1.1.104.1": "Encapsulated PDF Storage",
        mediaStorageDirectory: "Media Storage Directory Storage",
    ]

    /// Human-readable name, or the UID itself when unknown.
    public static func name(_ uid: String) -> String { names[uid] ?? uid }

    /// CT image classes ctperf can analyse.
    public static func isCT(_ uid: String) -> Bool { uid == ctImage || uid == enhancedCTImage }
}

/// Transfer syntaxes: which ctperf decodes, with their names.
public enum TransferSyntax {
    public static let implicitLittle = "1.2.840.10008.1.2"
    public static let explicitLittle = "1.2.840.10008.1.2.1"
    public static let deflatedExplicitLittle = "1.2.840.10008.1.2.1.99"
    public static let explicitBig = "1.2.840.10008.1.2.2"
    public static let jpegLossless57 = "1.2.840.10008.1.2.4.57"
    public static let jpegLossless70 = "1.2.840.10008.1.2.4.70"
    public static let jpegLSLossless = "1.2.840.10008.1.2.4.80"
    public static let jpegLSNearLossless = "1.2.840.10008.1.2.4.81"
    public static let rle = "1.2.840.10008.1.2.5"
    public static let jpeg2000Lossless = "1.2.840.10008.1.2.4.90"
    public static let jpeg2000 = "1.2.840.10008.1.2.4.91"

    private static let decodable: [String: String] = [
        implicitLittle: "Implicit VR Little Endian",
        explicitLittle: "Explicit VR Little Endian",
        deflatedExplicitLittle: "Deflated Explicit VR Little Endian",
        explicitBig: "Explicit VR Big Endian",
        jpegLossless57: "JPEG Lossless, Non-Hierarchical (Process 14)",
        jpegLossless70: "JPEG Lossless, First-Order Prediction (Process 14 SV1)",
        jpegLSLossless: "JPEG-LS Lossless",
        jpegLSNearLossless: "JPEG-LS Near-Lossless",
        rle: "RLE Lossless",
    ]

    private static let otherNames: [String: String] = [
        "1.2.840.10008.1.2.4.50": "JPEG Baseline (Process 1)",
        "1.2.840.10008.1.2.4.51": "JPEG Extended (Process 2 & 4)",
        jpeg2000Lossless: "JPEG 2000 Image Compression (Lossless Only)",
        jpeg2000: "JPEG 2000 Image Compression",
        "1.2.840.10008.1.2.4.100": "MPEG2 Main Profile",
        "1.2.840.10008.1.2.4.201": "High-Throughput JPEG 2000 (Lossless Only)",
    ]

    public static func name(_ uid: String) -> String { decodable[uid] ?? otherNames[uid] ?? uid }

    /// Whether ctperf can decode pixel data in this transfer syntax (DCMTK codecs registered).
    public static func isDecodable(_ uid: String) -> Bool { decodable[uid] != nil }
}

/// UID rules and generation.
public enum UID {
    /// ctperf's UID root (an ISO-style root registered for this project's generated objects is not
    /// available offline; 2.25 is the standard's UUID-derived root, valid without registration).
    public static let root = "2.25"

    /// A new globally unique UID: "2.25." + the decimal value of a random 128-bit UUID
    /// (DICOM PS3.5 B.2).
    public static func generate() -> String {
        let u = UUID().uuid
        let bytes = [u.0, u.1, u.2, u.3, u.4, u.5, u.6, u.7, u.8, u.9, u.10, u.11, u.12, u.13, u.14, u.15]
        return root + "." + decimalString(bytes)
    }

    /// Valid per PS3.5 9.1: components of digits separated by dots, no leading zeros
    /// (except "0" itself), at most 64 characters.
    public static func isValid(_ uid: String) -> Bool {
        guard !uid.isEmpty, uid.utf8.count <= 64 else { return false }
        for part in uid.split(separator: ".", omittingEmptySubsequences: false) {
            guard !part.isEmpty, part.allSatisfy({ $0 >= "0" && $0 <= "9" }) else { return false }
            if part.count > 1 && part.first == "0" { return false }
        }
        return true
    }

    /// A UID under 2.25 from 16 bytes (e.g. a deterministic hash, for reproducible test studies).
    public static func derived(from bytes: [UInt8]) -> String {
        precondition(bytes.count == 16)
        return root + "." + decimalString(bytes)
    }

    /// Decimal representation of a big-endian unsigned integer.
    static func decimalString(_ bytes: [UInt8]) -> String {
        var digits: [UInt8] = []          // little-endian base-10 digits
        var number = bytes.map { UInt32($0) }
        while number.contains(where: { $0 != 0 }) {
            var remainder: UInt32 = 0
            for i in 0..<number.count {
                let value = remainder * 256 + number[i]
                number[i] = value / 10
                remainder = value % 10
            }
            digits.append(UInt8(remainder))
        }
        if digits.isEmpty { return "0" }
        return String(digits.reversed().map { Character(String($0)) })
    }
}
