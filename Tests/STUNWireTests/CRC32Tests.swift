import NIOCore
import Testing
@testable import STUNWire

/// The CRC-32 of ITU-T V.42 that FINGERPRINT uses (RFC 8489 §14.7), by its standard check
/// values (the second computed with Python's zlib.crc32).
@Suite struct CRC32Tests {
    @Test(arguments: [
        ("123456789", UInt32(0xCBF4_3926)),
        ("", 0),
        ("The quick brown fox jumps over the lazy dog", 0x414F_A339),
    ])
    func checkValue(_ text: String, _ expected: UInt32) {
        #expect(Array(text.utf8).withUnsafeBytes { CRC32.checksum($0) } == expected)
    }

    @Test func fingerprintIsCRCXorConstant() {
        let bytes = ByteBuffer(bytes: Array("123456789".utf8))
        #expect(Integrity.fingerprint(over: bytes, upTo: 9) == 0xCBF4_3926 ^ 0x5354_554E)
    }
}
