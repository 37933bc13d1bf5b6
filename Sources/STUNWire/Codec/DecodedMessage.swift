import NIOCore

/// A message as received: its decoded form plus what integrity checks need, the exact bytes and
/// where the integrity attributes start in them.
public struct DecodedMessage: Sendable {
    public var message: STUNMessage
    /// The message bytes exactly as received.
    public let bytes: ByteBuffer
    /// Offset (from the start of the message) of the MESSAGE-INTEGRITY attribute header.
    let messageIntegrityOffset: Int?
    /// Offset of the MESSAGE-INTEGRITY-SHA256 attribute header.
    let messageIntegritySHA256Offset: Int?
    /// Attributes after an integrity attribute that RFC 8489 §14.5/§14.6 says to ignore.
    public let ignoredAttributes: [AttributeType]

    public var hasMessageIntegrity: Bool { messageIntegrityOffset != nil }
    public var hasMessageIntegritySHA256: Bool { messageIntegritySHA256Offset != nil }

    /// Checks MESSAGE-INTEGRITY (HMAC-SHA1, RFC 8489 §14.5) in constant time.
    public func verifyMessageIntegrity(key: [UInt8]) throws(WireError) {
        guard let offset = messageIntegrityOffset,
              case .messageIntegrity(let received)? = attribute(at: offset) else {
            throw WireError(.integrityMissing, attribute: .messageIntegrity)
        }
        let expected = Integrity.hmac(.sha1, key: key, over: bytes, upTo: offset, valueLength: received.count)
        guard ConstantTime.equals(expected, received) else {
            throw WireError(.integrityMismatch, attribute: .messageIntegrity)
        }
    }

    /// Checks MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6) in constant time, comparing only as many
    /// leading bytes as the sender kept after truncation.
    public func verifyMessageIntegritySHA256(key: [UInt8]) throws(WireError) {
        guard let offset = messageIntegritySHA256Offset,
              case .messageIntegritySHA256(let received)? = attribute(at: offset) else {
            throw WireError(.integrityMissing, attribute: .messageIntegritySHA256)
        }
        let expected = Integrity.hmac(.sha256, key: key, over: bytes, upTo: offset, valueLength: received.count)
        guard ConstantTime.equals(expected.prefix(received.count), received) else {
            throw WireError(.integrityMismatch, attribute: .messageIntegritySHA256)
        }
    }

    /// The truncated length of the received MESSAGE-INTEGRITY-SHA256, so a reply can match it.
    public var messageIntegritySHA256Length: Int? {
        guard let offset = messageIntegritySHA256Offset else { return nil }
        return bytes.getInteger(at: bytes.readerIndex + offset + 2, as: UInt16.self).map(Int.init)
    }

    private func attribute(at offset: Int) -> Attribute? {
        guard let type = bytes.getInteger(at: bytes.readerIndex + offset, as: UInt16.self) else { return nil }
        return message.first(AttributeType(rawValue: type))
    }
}
