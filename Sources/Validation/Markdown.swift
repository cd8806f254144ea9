import Foundation

/// Markdown pieces for the report: numbers with fixed decimals and pipe tables.
enum Markdown {
    /// `x` with `decimals` decimals; "n/a" when not finite; never "-0.0".
    static func number(_ x: Double, _ decimals: Int = 1) -> String {
        guard x.isFinite else { return "n/a" }
        let s = String(format: "%.\(decimals)f", x)
        let zero = String(format: "%.\(decimals)f", 0.0)
        return s == "-" + zero ? zero : s
    }

    static func signed(_ x: Double, _ decimals: Int = 1) -> String {
        let s = number(x, decimals)
        return x.isFinite && !s.hasPrefix("-") && s != number(0, decimals) ? "+" + s : s
    }

    static func optional(_ x: Double?, _ decimals: Int = 1) -> String { x.map { number($0, decimals) } ?? "–" }

    /// A pipe table; the first column left-aligned, the others right-aligned.
    static func table(_ headers: [String], _ rows: [[String]]) -> String {
        var out = "| " + headers.joined(separator: " | ") + " |\n"
        out += "|" + headers.indices.map { $0 == 0 ? "---" : "---:" }.joined(separator: "|") + "|\n"
        for r in rows { out += "| " + r.joined(separator: " | ") + " |\n" }
        return out
    }

    static func image(_ alt: String, _ name: String) -> String { "![\(alt)](validation/\(name))\n" }
}
