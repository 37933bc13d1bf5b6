import Testing
@testable import STUNWire

/// RFC 4013 SASLprep: mapping (§2.1), NFKC (§2.2), prohibited output (§2.3). The first five
/// cases are the examples of RFC 4013 §3.
@Suite struct SASLprepTests {
    @Test(arguments: [
        ("I\u{00AD}X", "IX"),  // soft hyphen maps to nothing
        ("user", "user"),
        ("USER", "USER"),  // no case folding
        ("\u{00AA}", "a"),  // NFKC
        ("\u{2168}", "IX"),  // NFKC
        ("a\u{00AD}b\u{FEFF}c\u{034F}d\u{FE0F}", "abcd"),  // more of table B.1
        ("a\u{00A0}b", "a b"),  // non-ASCII space maps to SPACE
        ("a\u{3000}b\u{2003}c", "a b c"),
        ("\u{FB01}", "fi"),  // compatibility ligature
        ("\u{FF21}\u{FF22}", "AB"),  // fullwidth forms
        ("e\u{0301}", "\u{00E9}"),  // canonical composition
        ("\u{30DE}\u{30C8}\u{30EA}\u{30C3}\u{30AF}\u{30B9}", "\u{30DE}\u{30C8}\u{30EA}\u{30C3}\u{30AF}\u{30B9}"),
        ("", ""),
    ])
    func prepares(_ input: String, _ expected: String) throws {
        #expect(try SASLprep.prepare(input) == expected)
    }

    /// Scalar values, since Swift string literals refuse non-characters such as U+FDD0.
    @Test(arguments: [
        [UInt32(0x0007)],  // C.2.1 ASCII control (RFC 4013 §3 example)
        [0x61, 0x7F],  // C.2.1 DEL
        [0x0085],  // C.2.2 non-ASCII control
        [0x200E, 0x78],  // C.8 left-to-right mark
        [0xE000],  // C.3 private use
        [0x100000],  // C.3 supplementary private use
        [0xFDD0],  // C.4 non-character
        [0x1FFFE],  // C.4 non-character in plane 1
        [0xFFFD],  // C.6 replacement character
        [0x2FF0],  // C.7 ideographic description
        [0xE0001],  // C.9 language tag
        [0x1D173],  // C.2.2 musical control
    ])
    func rejectsProhibited(_ scalars: [UInt32]) {
        var input = String.UnicodeScalarView()
        input.append(contentsOf: scalars.map { Unicode.Scalar($0)! })
        #expect(throws: WireError(.prohibitedCharacter)) { try SASLprep.prepare(String(input)) }
    }
}
