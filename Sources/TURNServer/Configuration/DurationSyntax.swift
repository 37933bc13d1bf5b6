/// Durations as operators write them: `30s`, `10m`, `1h`, `1d`, combinations such as `1h30m`,
/// or a plain integer meaning seconds. Whole seconds only: every lifetime on the wire is
/// seconds (RFC 8656 §14.2 LIFETIME).
public enum DurationSyntax {
    /// Seconds per unit letter.
    static let unitSeconds: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
    /// Larger than any sensible setting and far from overflow.
    static let maximumSeconds: Int64 = 10 * 365 * 86_400

    /// What `check-config` says a duration should look like.
    public static let expected = "a duration such as 30s, 10m, 1h, 1h30m or a number of seconds"

    /// The duration `text` denotes, or nil if it is not one. Units must appear at most once and
    /// in decreasing order (`1h30m`, not `30m1h`).
    public static func parse(_ text: String) -> Duration? {
        guard !text.isEmpty else { return nil }
        if text.allSatisfy(\.isASCIIDigit) {
            guard let seconds = Int64(text), seconds <= maximumSeconds else { return nil }
            return .seconds(seconds)
        }
        var total: Int64 = 0
        var digits = ""
        var lastUnitSeconds = Int64.max
        for character in text {
            if character.isASCIIDigit {
                digits.append(character)
            } else if let unit = unitSeconds[character] {
                guard !digits.isEmpty, unit < lastUnitSeconds, let count = Int64(digits),
                      count <= maximumSeconds else { return nil }
                total += count * unit
                guard total <= maximumSeconds else { return nil }
                lastUnitSeconds = unit
                digits = ""
            } else {
                return nil
            }
        }
        guard digits.isEmpty else { return nil }
        return .seconds(total)
    }

    /// The shortest text `parse` maps back to `duration` (whole seconds).
    public static func format(_ duration: Duration) -> String {
        var seconds = duration.components.seconds
        guard seconds > 0 else { return "0s" }
        var text = ""
        for (letter, unit) in [("d", Int64(86_400)), ("h", 3600), ("m", 60), ("s", 1)] where seconds >= unit {
            text += "\(seconds / unit)\(letter)"
            seconds %= unit
        }
        return text
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
