/// "Did you mean ...?" for misspelt keys and table names.
enum NameSuggestion {
    /// Largest edit distance still suggested (a larger one would suggest unrelated names).
    static let maxDistance = 3

    /// The known name `name` most likely meant, or nil when none is close.
    ///
    /// Close means: equal ignoring case; or an edit distance (insertions, deletions,
    /// substitutions, adjacent swaps; case ignored) of at most 3 and at most a third of the
    /// known name's length (so `host` does not suggest `port`); or, for 4+ characters, a
    /// prefix of the known name (`timeout` -> `timeout_seconds`). The smallest distance wins;
    /// ties go to the earlier known name.
    static func closest(to name: String, in known: [String]) -> String? {
        let lowered = name.lowercased()
        var best: (name: String, distance: Int)?
        for candidate in known {
            let distance = editDistance(lowered, candidate.lowercased())
            let close = distance <= min(maxDistance, max(1, candidate.count / 3))
                || (lowered.count >= 4 && candidate.hasPrefix(lowered))
            if close && distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        return best?.name
    }

    /// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of
    /// adjacent characters each cost 1.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let s = Array(a), t = Array(b)
        if s.isEmpty { return t.count }
        if t.isEmpty { return s.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: t.count + 1), count: s.count + 1)
        for i in 0...s.count { d[i][0] = i }
        for j in 0...t.count { d[0][j] = j }
        for i in 1...s.count {
            for j in 1...t.count {
                let cost = s[i - 1] == t[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, s[i - 1] == t[j - 2], s[i - 2] == t[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[s.count][t.count]
    }
}
