import Foundation

/// Secret bytes written as text: hexadecimal, or base64 (RFC 4648 §4 or §5, padded or not).
/// An optional `hex:` or `base64:` prefix removes any doubt; without one, text made only of an
/// even number of hex digits is read as hex, anything else as base64.
public enum KeyMaterialSyntax {
    public static let expected = "hex or base64 bytes (optionally prefixed hex: or base64:)"
    private static let hexPrefix = "hex:"
    private static let base64Prefix = "base64:"
    private static let base64Quantum = 4

    public static func parse(_ text: String) -> [UInt8]? {
        if text.hasPrefix(hexPrefix) { return parseHex(String(text.dropFirst(hexPrefix.count))) }
        if text.hasPrefix(base64Prefix) { return parseBase64(String(text.dropFirst(base64Prefix.count))) }
        return parseHex(text) ?? parseBase64(text)
    }

    /// Exactly an even number of hex digits, either case.
    public static func parseHex(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard !digits.isEmpty, digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    public static func parseBase64(_ text: String) -> [UInt8]? {
        guard !text.isEmpty else { return nil }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let remainder = standard.count % base64Quantum
        if remainder != 0 { standard += String(repeating: "=", count: base64Quantum - remainder) }
        guard let data = Data(base64Encoded: standard) else { return nil }
        return Array(data)
    }

    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
