import Foundation

/// SASLprep (RFC 4013, the stringprep profile of RFC 3454) for the strings that go into a
/// long-term key. RFC 8489 §9.2.2 names the PRECIS OpaqueString profile (RFC 8265) instead; the
/// two agree on every string that does not contain a character either one prohibits, and
/// SASLprep is what RFC 5769's test vector uses, so clients built on either interoperate.
///
/// Not implemented: the bidirectional-text check of RFC 3454 §6, which can only reject a string;
/// skipping it means a right-to-left password is accepted as typed rather than refused.
public enum SASLprep {
    /// Applies mapping (§2.1), NFKC (§2.2) and the prohibited-output check (§2.3).
    public static func prepare(_ string: String) throws(WireError) -> String {
        var mapped = String.UnicodeScalarView()
        for scalar in string.unicodeScalars {
            if mapsToNothing(scalar.value) { continue }
            mapped.append(isNonASCIISpace(scalar.value) ? " " : scalar)
        }
        let normalized = String(mapped).precomposedStringWithCompatibilityMapping
        for scalar in normalized.unicodeScalars where isProhibited(scalar.value) {
            throw WireError(.prohibitedCharacter, "U+\(String(scalar.value, radix: 16, uppercase: true))")
        }
        return normalized
    }

    /// RFC 3454 table B.1.
    private static func mapsToNothing(_ v: UInt32) -> Bool {
        switch v {
        case 0x00AD, 0x034F, 0x1806, 0x180B...0x180D, 0x200B...0x200D, 0x2060, 0xFE00...0xFE0F, 0xFEFF:
            true
        default:
            false
        }
    }

    /// RFC 3454 table C.1.2.
    private static func isNonASCIISpace(_ v: UInt32) -> Bool {
        switch v {
        case 0x00A0, 0x1680, 0x2000...0x200B, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    /// RFC 4013 §2.3: tables C.1.2, C.2.1, C.2.2, C.3, C.4, C.5, C.6, C.7, C.8, C.9.
    private static func isProhibited(_ v: UInt32) -> Bool {
        if isNonASCIISpace(v) { return true }
        if v & 0xFFFE == 0xFFFE { return true }  // C.4: U+nFFFE and U+nFFFF in every plane
        switch v {
        case 0x0000...0x001F, 0x007F:  // C.2.1
            return true
        case 0x0080...0x009F, 0x06DD, 0x070F, 0x180E, 0x200C, 0x200D, 0x2028, 0x2029, 0x2060...0x2063,
             0x206A...0x206F, 0xFEFF, 0xFFF9...0xFFFC, 0x1D173...0x1D17A:  // C.2.2
            return true
        case 0xE000...0xF8FF, 0xF0000...0xFFFFD, 0x100000...0x10FFFD:  // C.3
            return true
        case 0xFDD0...0xFDEF:  // C.4
            return true
        case 0xD800...0xDFFF:  // C.5
            return true
        case 0xFFFD:  // C.6 (the rest of C.6 is in C.2.2)
            return true
        case 0x2FF0...0x2FFB:  // C.7
            return true
        case 0x0340, 0x0341, 0x200E, 0x200F, 0x202A...0x202E:  // C.8 (206A-206F is in C.2.2)
            return true
        case 0xE0001, 0xE0020...0xE007F:  // C.9
            return true
        default:
            return false
        }
    }
}
