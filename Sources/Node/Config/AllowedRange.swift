/// An interval a number in the configuration file must lie in, worded the way messages say it.
struct AllowedRange: Sendable, Equatable {
    var lower: Double?
    var lowerInclusive = true
    var upper: Double?
    var upperInclusive = true

    /// [lo, hi]: "from lo to hi".
    static func from(_ lo: Double, to hi: Double) -> AllowedRange {
        AllowedRange(lower: lo, upper: hi)
    }

    /// [lo, ∞): "at least lo".
    static func atLeast(_ lo: Double) -> AllowedRange {
        AllowedRange(lower: lo, upper: nil)
    }

    /// (lo, ∞): "greater than lo".
    static func greaterThan(_ lo: Double) -> AllowedRange {
        AllowedRange(lower: lo, lowerInclusive: false, upper: nil)
    }

    /// (lo, hi]: "greater than lo and at most hi".
    static func greaterThan(_ lo: Double, atMost hi: Double) -> AllowedRange {
        AllowedRange(lower: lo, lowerInclusive: false, upper: hi)
    }

    /// (lo, hi): "greater than lo and less than hi".
    static func strictlyBetween(_ lo: Double, _ hi: Double) -> AllowedRange {
        AllowedRange(lower: lo, lowerInclusive: false, upper: hi, upperInclusive: false)
    }

    func contains(_ value: Double) -> Bool {
        if let lower, lowerInclusive ? value < lower : value <= lower { return false }
        if let upper, upperInclusive ? value > upper : value >= upper { return false }
        return true
    }

    var description: String {
        switch (lower, upper) {
        case (let lo?, let hi?) where lowerInclusive && upperInclusive:
            "from \(Self.format(lo)) to \(Self.format(hi))"
        case (let lo?, let hi?):
            "\(lowerInclusive ? "at least" : "greater than") \(Self.format(lo)) and "
                + "\(upperInclusive ? "at most" : "less than") \(Self.format(hi))"
        case (let lo?, nil):
            "\(lowerInclusive ? "at least" : "greater than") \(Self.format(lo))"
        case (nil, let hi?):
            "\(upperInclusive ? "at most" : "less than") \(Self.format(hi))"
        case (nil, nil):
            "any number"
        }
    }

    /// A number as a sysadmin would write it: 20 rather than 20.0, 0.3 as 0.3.
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }
}
