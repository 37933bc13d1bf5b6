import NIOCore
import Testing
@testable import STUNWire

/// RFC 8489 Appendix B.1 with the bytes as corrected by errata 6268 (length 0x90 instead of the
/// whole message size, and the PASSWORD-ALGORITHM attribute the original omitted).
@Suite struct RFC8489VectorTests {
    static let username = "\u{30DE}\u{30C8}\u{30EA}\u{30C3}\u{30AF}\u{30B9}"
    static let password = "The\u{00AD}M\u{00AA}tr\u{2168}"
    static let nonce = "obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA"
    static let request = hexBytes("""
        000100902112a44278ad3433c6ad72c029da412e001e00204a3cf38fef6992bda952c6780417da0f24\
        819415569e60b205c46e41407f1704001500296f624d61744a6f733241414143662f2f3439396b3935\
        3464364f4c33346f4c394653547679363473410000000014000b6578616d706c652e6f726700001d00\
        0400020000001c0020b5c7bf005b6c52a21c51c5e892f81924136296cb927c43149309278cc6518e65
        """)

    @Test func userhashMatches() throws {
        let userhash = try LongTermCredentials.userhash(username: Self.username, realm: "example.org")
        #expect(userhash == hexBytes("4a3cf38fef6992bda952c6780417da0f24819415569e60b205c46e41407f1704"))
    }

    @Test func requestParsesAndVerifies() throws {
        let decoded = try STUNMessage.decode(ByteBuffer(bytes: Self.request))
        let message = decoded.message
        #expect(message.userhash == (try LongTermCredentials.userhash(username: Self.username, realm: "example.org")))
        #expect(message.nonce == Self.nonce)
        #expect(message.realm == "example.org")
        #expect(message.passwordAlgorithm == .sha256)
        let key = try LongTermCredentials.key(
            username: Self.username, realm: "example.org", password: Self.password, algorithm: .sha256)
        try decoded.verifyMessageIntegritySHA256(key: key)
        #expect(decoded.messageIntegritySHA256Length == 32)
        #expect(throws: WireError(.integrityMissing)) { try decoded.verifyMessageIntegrity(key: key) }
    }

    @Test func requestIsProduced() throws {
        let key = try LongTermCredentials.key(
            username: Self.username, realm: "example.org", password: Self.password, algorithm: .sha256)
        let message = STUNMessage(
            type: MessageType(.binding, .request),
            transactionID: TransactionID(bytes: hexBytes("78ad3433c6ad72c029da412e"))!,
            attributes: [
                .userhash(try LongTermCredentials.userhash(username: Self.username, realm: "example.org")),
                .nonce(Self.nonce), .realm("example.org"), .passwordAlgorithm(.sha256),
            ])
        #expect(try message.encode(EncodingOptions(messageIntegritySHA256Key: key)).bytes == Self.request)
    }

    /// The bytes as first published: the length field counts the header too, so a strict decoder
    /// must refuse them.
    @Test func uncorrectedLengthIsRejected() {
        var original = Self.request
        original[3] = 0x9c
        #expect(throws: WireError(.lengthMismatch)) { try STUNMessage.decode(ByteBuffer(bytes: original)) }
    }
}
