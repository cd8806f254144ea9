/// A small command-line parser: `--name value`, `--name=value`, flags and positionals.
/// Option names are normalised so `--dicom_dir` and `--dicom-dir` are the same option.
struct Arguments {
    private(set) var positionals: [String] = []
    private var values: [String: String] = [:]
    private var flags: Set<String> = []
    private var consumed: Set<String> = []

    /// `valueOptions` take a value; `flagOptions` do not. Anything else is an error.
    init(_ args: [String], valueOptions: Set<String>, flagOptions: Set<String>) throws {
        var i = 0
        while i < args.count {
            let a = args[i]
            if a.hasPrefix("--") {
                var name = String(a.dropFirst(2))
                var inline: String?
                if let eq = name.firstIndex(of: "=") {
                    inline = String(name[name.index(after: eq)...])
                    name = String(name[..<eq])
                }
                name = Arguments.normalise(name)
                if valueOptions.contains(name) {
                    if let v = inline {
                        values[name] = v
                    } else {
                        guard i + 1 < args.count else { throw CLIError(.usage, "--\(name) needs a value") }
                        values[name] = args[i + 1]
                        i += 1
                    }
                } else if flagOptions.contains(name) {
                    guard inline == nil else { throw CLIError(.usage, "--\(name) takes no value") }
                    flags.insert(name)
                } else {
                    let known = (valueOptions.union(flagOptions)).sorted()
                    let hint = known.min { editDistance($0, name) < editDistance($1, name) }
                    let suggestion = hint.map { editDistance($0, name) <= 3 ? " — did you mean --\($0)?" : "" } ?? ""
                    throw CLIError(.usage, "unknown option --\(name)\(suggestion)")
                }
            } else if a == "-h" {
                flags.insert("help")
            } else {
                positionals.append(a)
            }
            i += 1
        }
    }

    static func normalise(_ name: String) -> String { name.replacingOccurrences(of: "_", with: "-") }

    func flag(_ name: String) -> Bool { flags.contains(name) }
    func value(_ name: String) -> String? { values[name] }

    func int(_ name: String, default d: Int, range: ClosedRange<Int>) throws -> Int {
        guard let s = values[name] else { return d }
        guard let v = Int(s), range.contains(v) else {
            throw CLIError(.usage, "--\(name) must be an integer in \(range.lowerBound)...\(range.upperBound) (got '\(s)')")
        }
        return v
    }

    func double(_ name: String, default d: Double, range: ClosedRange<Double>) throws -> Double {
        guard let s = values[name] else { return d }
        guard let v = Double(s), range.contains(v) else {
            throw CLIError(.usage, "--\(name) must be a number in \(range.lowerBound)...\(range.upperBound) (got '\(s)')")
        }
        return v
    }

    func choice<T: RawRepresentable & CaseIterable>(_ name: String, default d: T) throws -> T where T.RawValue == String {
        guard let s = values[name] else { return d }
        guard let v = T(rawValue: s) else {
            throw CLIError(.usage, "--\(name) must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(s)')")
        }
        return v
    }
}

/// Levenshtein distance (for "did you mean" hints).
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    var row = Array(0...b.count)
    for i in 1...max(1, a.count) where !a.isEmpty {
        var prev = row[0]
        row[0] = i
        for j in 1...max(1, b.count) where !b.isEmpty {
            let cur = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1))
            prev = cur
        }
    }
    return a.isEmpty ? b.count : row[b.count]
}
