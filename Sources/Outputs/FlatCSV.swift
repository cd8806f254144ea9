import Foundation

/// One header row and one data row from an Encodable value: nested objects are flattened with
/// "." between keys (e.g. `pvt.sinus_tmax_median_s`), arrays are written as JSON text in one
/// cell, null as an empty cell. Columns are sorted, so names and order are stable across runs.
public enum FlatCSV {
    public static func make<T: Encodable>(_ value: T, encoder: JSONEncoder = JSONEncoder()) throws -> String {
        let data = try encoder.encode(value)
        let object = try JSONSerialization.jsonObject(with: data)
        var cells: [(String, String)] = []
        flatten(object, prefix: "", into: &cells)
        cells.sort { $0.0 < $1.0 }
        return cells.map { quote($0.0) }.joined(separator: ",") + "\n"
            + cells.map { quote($0.1) }.joined(separator: ",") + "\n"
    }

    private static func flatten(_ value: Any, prefix: String, into cells: inout [(String, String)]) {
        if let dict = value as? [String: Any] {
            for (k, v) in dict { flatten(v, prefix: prefix.isEmpty ? k : prefix + "." + k, into: &cells) }
        } else if value is [Any] {
            let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            cells.append((prefix, String(decoding: data, as: UTF8.self)))
        } else if value is NSNull {
            cells.append((prefix, ""))
        } else if let n = value as? NSNumber {
            // Booleans come back from JSONSerialization as NSNumber too, with objCType "c".
            if String(cString: n.objCType) == "c" {
                cells.append((prefix, n.boolValue ? "true" : "false"))
            } else {
                cells.append((prefix, "\(n)"))
            }
        } else {
            cells.append((prefix, "\(value)"))
        }
    }

    /// RFC 4180 quoting when needed.
    static func quote(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
