import NIOCore
import Testing
@testable import STUNWire

/// The largest values RFC 8489 §14 says a receiver must accept (the oversized ones are in the
/// malformed corpus).
@Suite struct TextLengthLimitTests {
    static let longest = String(repeating: "a", count: 763)

    /// §14.3: USERNAME is sent under 509 bytes but must be parsed up to 763 (RFC 5389 clients).
    static let longestValues: [String: Attribute] = [
        "USERNAME": .username(longest), "REALM": .realm(longest), "NONCE": .nonce(longest),
        "SOFTWARE": .software(longest), "ERROR-CODE": .errorCode(ErrorCode(code: 401, reason: longest)),
        "ALTERNATE-DOMAIN": .alternateDomain(String(repeating: "d", count: 255)),
    ]

    @Test(arguments: longestValues.keys.sorted())
    func longestValueIsAccepted(_ name: String) throws {
        let attribute = try #require(Self.longestValues[name])
        let message = STUNMessage(type: MessageType(.allocate, .request), transactionID: Raw.id, attributes: [attribute])
        #expect(try STUNMessage.decode(message.encode()).message == message)
    }

    /// A 600-byte USERNAME with multi-byte characters, as an RFC 5389 client may send it.
    @Test func rfc5389LengthUsernameIsAccepted() throws {
        let username = String(repeating: "\u{30DE}", count: 200)
        #expect(username.utf8.count == 600)
        let decoded = try STUNMessage.decode(ByteBuffer(bytes: Raw.message(Raw.attribute(.username, Array(username.utf8)))))
        #expect(decoded.message.username == username)
    }
}
