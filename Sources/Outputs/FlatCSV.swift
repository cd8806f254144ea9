import Foundation

/// One header row and one data row from a value, by reflection over its stored properties so
/// that every property gives a column even when it is nil: the column set and order depend on
/// the type only, never on the values. Nested structs are flattened with "." between names
/// (e.g. `venous.torcula.tmax_median_s`); names are snake_case exactly as JSONEncoder's
/// `.convertToSnakeCase` writes them, so CSV columns match metrics.json keys. Arrays are written
/// as one cell with values separated by ";"; nil is an empty cell.
public enum FlatCSV {
    public static func make(_ value: Any) -> String {
        var cells: [(String, String)] = []
        flatten(value, prefix: "", into: &cells)
        return cells.map { quote($0.0) }.joined(separator: ",") + "\n"
            + cells.map { quote($0.1) }.joined(separator: ",") + "\n"
    }

    private static func flatten(_ value: Any, prefix: String, into cells: inout [(String, String)]) {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            if let wrapped = mirror.children.first?.value {
                flatten(wrapped, prefix: prefix, into: &cells)
            } else {
                cells.append((prefix, ""))
            }
        case .struct, .class:
            for child in mirror.children {
                guard let label = child.label else { continue }
                let name = snakeCase(label)
                flatten(child.value, prefix: prefix.isEmpty ? name : prefix + "." + name, into: &cells)
            }
        case .collection, .set:
            cells.append((prefix, mirror.children.map { cell($0.value) }.joined(separator: ";")))
        default:
            cells.append((prefix, cell(value)))
        }
    }

    private static func cell(_ value: Any) -> String {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            return mirror.children.first.map { cell($0.value) } ?? ""
        }
        if let e = value as? any RawRepresentable { return "\(e.rawValue)" }
        return "\(value)"
    }

    /// camelCase -> snake_case, used for both metrics.csv columns and metrics.json keys (so the two
    /// always agree): "coreVolumeML" -> "core_volume_ml", "tmaxOver6sVolumeML" ->
    /// "tmax_over6s_volume_ml", "defuse3TargetMismatch" -> "defuse3_target_mismatch", and, unlike
    /// JSONEncoder's `.convertToSnakeCase`, a plural acronym stays one word ("seriesInstanceUIDs" ->
    /// "series_instance_uids", not "series_instance_ui_ds") and a capital after a digit starts one
    /// ("tmaxP90S" -> "tmax_p90_s").
    public static func snakeCase(_ key: String) -> String {
        guard !key.isEmpty else { return key }
        let chars = Array(key)
        var words: [String] = []
        var start = 0
        var i = 1
        while i < chars.count {
            if chars[i].isUppercase {
                if !chars[i - 1].isUppercase {
                    // lower -> Upper: a new word starts here.
                    words.append(String(chars[start..<i])); start = i
                } else if i + 1 < chars.count, chars[i + 1].isLowercase, !isPluralAcronym(chars, i) {
                    // "MLValue": the last capital of a run starts the next word.
                    words.append(String(chars[start..<i])); start = i
                }
            }
            i += 1
        }
        words.append(String(chars[start...]))
        return words.map { $0.lowercased() }.joined(separator: "_")
    }

    /// "UIDs": a capital run ending in a lone "s" (end of the name or before the next capital).
    private static func isPluralAcronym(_ chars: [Character], _ i: Int) -> Bool {
        chars[i + 1] == "s" && (i + 2 == chars.count || chars[i + 2].isUppercase)
    }

    /// RFC 4180 quoting when needed.
    static func quote(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
