/// Byte counts and byte rates: a plain integer, or a number with a unit. Decimal units `B`,
/// `KB`, `MB`, `GB` (powers of 1000), binary units `KiB`, `MiB`, `GiB` (powers of 1024), and for
/// rates also bit units `kbit`, `Mbit`, `Gbit` (powers of 1000 bits). A rate may end in `/s`.
/// Units are case-sensitive where it matters (`Mbit` is bits, `MB` is bytes).
public enum ByteSizeSyntax {
    private static let byteUnits: [String: UInt64] = [
        "B": 1,
        "KB": 1_000, "MB": 1_000_000, "GB": 1_000_000_000,
        "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30,
    ]
    /// Bits per second expressed as the byte multiplier times eight; applied as `n * m / 8`.
    private static let bitUnits: [String: UInt64] = [
        "bit": 1, "kbit": 1_000, "Mbit": 1_000_000, "Gbit": 1_000_000_000,
    ]
    private static let bitsPerByte: UInt64 = 8
    private static let rateSuffix = "/s"

    public static let expectedSize = "a byte count such as 4MiB, 512KB or 1048576"
    public static let expectedRate = "a rate such as 1MB/s, 500KiB/s, 100Mbit/s or bytes per second as an integer (0 = unlimited)"

    /// The number of bytes `text` denotes; nil if malformed or above `UInt64`.
    public static func parseSize(_ text: String) -> UInt64? {
        parse(text, allowBits: false)
    }

    /// Bytes per second; nil if malformed. Accepts the `/s` suffix and bit units.
    public static func parseRate(_ text: String) -> UInt64? {
        let body = text.hasSuffix(rateSuffix) ? String(text.dropLast(rateSuffix.count)) : text
        return parse(body, allowBits: true)
    }

    private static func parse(_ text: String, allowBits: Bool) -> UInt64? {
        let digits = text.prefix(while: \.isASCIIDigit)
        guard !digits.isEmpty, let count = UInt64(digits) else { return nil }
        let unit = text.dropFirst(digits.count).trimmingLeadingSpaces()
        if unit.isEmpty { return count }
        if let multiplier = byteUnits[unit] {
            let (product, overflow) = count.multipliedReportingOverflow(by: multiplier)
            return overflow ? nil : product
        }
        if allowBits, let multiplier = bitUnits[unit] {
            let (product, overflow) = count.multipliedReportingOverflow(by: multiplier)
            return overflow ? nil : product / bitsPerByte
        }
        return nil
    }

    /// A compact rendering for summaries (`4MiB`, `1MB`, `1500B`).
    public static func format(_ bytes: UInt64) -> String {
        for (name, unit) in [("GiB", UInt64(1 << 30)), ("MiB", 1 << 20), ("KiB", 1 << 10),
                             ("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1_000)]
            where bytes >= unit && bytes % unit == 0 {
            return "\(bytes / unit)\(name)"
        }
        return "\(bytes)B"
    }
}

extension Substring {
    fileprivate func trimmingLeadingSpaces() -> String {
        String(drop(while: { $0 == " " }))
    }
}
