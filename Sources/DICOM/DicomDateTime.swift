import Foundation

/// Parsing of DICOM DA, TM and DT values into seconds.
/// Seconds are counted from 1970-01-01 00:00 in the scanner's local clock (time-zone offsets
/// in DT values are ignored on purpose: all frames of one acquisition share one clock).
public enum DicomDateTime {
    /// DA "YYYYMMDD" (also the old "YYYY.MM.DD") -> days since 1970-01-01.
    public static func days(date: String) -> Int? {
        let digits = date.filter { $0 != "." && $0 != "-" }
        guard digits.count == 8, digits.allSatisfy(\.isNumber),
              let y = Int(digits.prefix(4)), let m = Int(digits.dropFirst(4).prefix(2)),
              let d = Int(digits.suffix(2)), (1...12).contains(m), (1...31).contains(d) else { return nil }
        return daysFromCivil(year: y, month: m, day: d)
    }

    /// TM "HHMMSS.FFFFFF" (components after HH optional; old "HH:MM:SS" accepted) -> seconds of day.
    public static func secondsOfDay(time: String) -> Double? {
        let t = time.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ":", with: "")
        guard t.count >= 2 else { return nil }
        let parts = t.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let main = parts[0]
        guard main.count >= 2, main.count <= 6, main.count % 2 == 0, main.allSatisfy(\.isNumber) else { return nil }
        let chars = Array(main)
        let hh = Int(String(chars[0..<2]))!
        let mm = chars.count >= 4 ? Int(String(chars[2..<4]))! : 0
        let ss = chars.count >= 6 ? Int(String(chars[4..<6]))! : 0
        guard hh < 24, mm < 60, ss < 61 else { return nil }
        var seconds = Double(hh * 3600 + mm * 60 + ss)
        if parts.count == 2 {
            let frac = parts[1]
            guard !frac.isEmpty, frac.count <= 6, frac.allSatisfy(\.isNumber) else { return nil }
            seconds += Double("0." + frac)!
        }
        return seconds
    }

    /// DT "YYYYMMDDHHMMSS.FFFFFF&ZZXX" -> seconds since 1970 (local clock). Requires at least the date.
    public static func seconds(dateTime: String) -> Double? {
        var dt = dateTime.trimmingCharacters(in: .whitespaces)
        if let idx = dt.firstIndex(where: { $0 == "+" || $0 == "-" }) { dt = String(dt[..<idx]) }
        guard dt.count >= 8, let d = days(date: String(dt.prefix(8))) else { return nil }
        let rest = String(dt.dropFirst(8))
        if rest.isEmpty { return Double(d) * 86400 }
        guard let tod = secondsOfDay(time: rest) else { return nil }
        return Double(d) * 86400 + tod
    }

    /// Howard Hinnant's days_from_civil: proleptic Gregorian date -> days since 1970-01-01.
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// Inverse of daysFromCivil.
    public static func civil(days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// Seconds since 1970 -> "YYYY-MM-DDTHH:MM:SS.fff" (for reports; local scanner clock).
    public static func iso(_ seconds: Double) -> String {
        let day = Int((seconds / 86400).rounded(.down))
        let tod = seconds - Double(day) * 86400
        let (y, m, d) = civil(days: day)
        let ms = Int((tod * 1000).rounded())
        let h = ms / 3_600_000, mi = (ms / 60_000) % 60, s = (ms / 1000) % 60, f = ms % 1000
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03d", y, m, d, h, mi, s, f)
    }

    /// Seconds since 1970 -> DICOM DA and TM strings.
    public static func dicomDateAndTime(_ seconds: Double) -> (date: String, time: String) {
        let day = Int((seconds / 86400).rounded(.down))
        let tod = seconds - Double(day) * 86400
        let (y, m, d) = civil(days: day)
        let micro = Int((tod * 1_000_000).rounded())
        let h = micro / 3_600_000_000, mi = (micro / 60_000_000) % 60, s = (micro / 1_000_000) % 60
        let f = micro % 1_000_000
        return (String(format: "%04d%02d%02d", y, m, d), String(format: "%02d%02d%02d.%06d", h, mi, s, f))
    }
}
