import NIOCore
import Testing
@testable import STUNWire

/// RFC 8489 §14.5-§14.7: what counts after MESSAGE-INTEGRITY and MESSAGE-INTEGRITY-SHA256.
@Suite struct IntegrityPlacementTests {
    static let sha1Key = Array("sha1 key".utf8)
    static let sha256Key = Array("sha256 key".utf8)
    static let request = STUNMessage(
        type: MessageType(.allocate, .request), transactionID: Raw.id,
        attributes: [.username("alice"), .requestedTransport(17)])

    static func decode(_ bytes: [UInt8]) throws -> DecodedMessage { try STUNMessage.decode(ByteBuffer(bytes: bytes)) }

    /// After MESSAGE-INTEGRITY everything except MI-SHA256 and FINGERPRINT is ignored: not
    /// decoded (a bad value is no error), not a duplicate, absent from `attributes`, and listed
    /// in `ignoredAttributes`. The MAC still verifies, since it never covered them.
    @Test func attributesAfterMessageIntegrityAreIgnored() throws {
        let signed = try Self.request.encode(EncodingOptions(messageIntegrityKey: Self.sha1Key)).bytes
        let bytes = Raw.appending(
            signed,
            Raw.attribute(.lifetime, Raw.u32(600)),
            Raw.attribute(.username, Array("mallory".utf8)),
            Raw.attribute(.requestedTransport, [6]),  // wrong length: not even decoded
            Raw.attribute(.messageIntegrity, [UInt8](repeating: 0, count: 20)),
            Raw.attribute(AttributeType(rawValue: 0x7F00), [1, 2, 3, 4]))
        let decoded = try Self.decode(bytes)
        #expect(decoded.message.attributes.map(\.type) == [.username, .requestedTransport, .messageIntegrity])
        #expect(decoded.message.username == "alice")
        #expect(decoded.message.lifetime == nil)
        #expect(decoded.ignoredAttributes == [
            .lifetime, .username, .requestedTransport, .messageIntegrity, AttributeType(rawValue: 0x7F00),
        ])
        #expect(decoded.message.unknownComprehensionRequired.isEmpty)
        try decoded.verifyMessageIntegrity(key: Self.sha1Key)
    }

    /// After MI-SHA256 only FINGERPRINT counts: a later MESSAGE-INTEGRITY is ignored too.
    @Test func attributesAfterSHA256AreIgnoredExceptFingerprint() throws {
        let signed = try Self.request.encode(EncodingOptions(messageIntegritySHA256Key: Self.sha256Key)).bytes
        var bytes = Raw.appending(
            signed,
            Raw.attribute(.messageIntegrity, [UInt8](repeating: 0, count: 20)),
            Raw.attribute(.software, Array("late".utf8)),
            Raw.attribute(.fingerprint, [0, 0, 0, 0]))
        bytes = MalformedCorpus.fixFingerprint(bytes, at: bytes.count - 8)
        let decoded = try Self.decode(bytes)
        #expect(decoded.message.attributes.map(\.type) == [.username, .requestedTransport, .messageIntegritySHA256, .fingerprint])
        #expect(decoded.ignoredAttributes == [.messageIntegrity, .software])
        #expect(!decoded.hasMessageIntegrity)
        #expect(throws: WireError(.integrityMissing)) { try decoded.verifyMessageIntegrity(key: Self.sha1Key) }
        try decoded.verifyMessageIntegritySHA256(key: Self.sha256Key)
    }

    /// Both MACs present: each covers what precedes it, the SHA-256 one including the SHA-1 one.
    @Test func messageWithBothIntegrityAttributesVerifiesBoth() throws {
        let options = EncodingOptions(messageIntegrityKey: Self.sha1Key, messageIntegritySHA256Key: Self.sha256Key, fingerprint: true)
        let bytes = try Self.request.encode(options).bytes
        let decoded = try Self.decode(bytes)
        #expect(decoded.message.attributes.map(\.type) == [
            .username, .requestedTransport, .messageIntegrity, .messageIntegritySHA256, .fingerprint,
        ])
        try decoded.verifyMessageIntegrity(key: Self.sha1Key)
        try decoded.verifyMessageIntegritySHA256(key: Self.sha256Key)
        #expect(throws: WireError(.integrityMismatch)) { try decoded.verifyMessageIntegrity(key: Self.sha256Key) }
        #expect(throws: WireError(.integrityMismatch)) { try decoded.verifyMessageIntegritySHA256(key: Self.sha1Key) }

        // Altering the SHA-1 MAC breaks the SHA-256 one too, since it covers it.
        let sha1ValueOffset = bytes.count - 8 - 36 - 20
        var tampered = bytes
        tampered[sha1ValueOffset] ^= 0x01
        tampered = MalformedCorpus.fixFingerprint(tampered, at: tampered.count - 8)
        let tamperedDecoded = try Self.decode(tampered)
        #expect(throws: WireError(.integrityMismatch)) { try tamperedDecoded.verifyMessageIntegrity(key: Self.sha1Key) }
        #expect(throws: WireError(.integrityMismatch)) { try tamperedDecoded.verifyMessageIntegritySHA256(key: Self.sha256Key) }
    }

    /// RFC 8489 §14.6: the value may be truncated to 16-32 bytes in steps of 4; the receiver
    /// compares the leading bytes it got.
    @Test(arguments: [16, 20, 24, 28, 32])
    func truncatedSHA256Verifies(length: Int) throws {
        let options = EncodingOptions(messageIntegritySHA256Key: Self.sha256Key, messageIntegritySHA256Length: length)
        let bytes = try Self.request.encode(options).bytes
        #expect(bytes.count == 20 + 12 + 8 + 4 + length)
        let decoded = try Self.decode(bytes)
        #expect(decoded.messageIntegritySHA256Length == length)
        try decoded.verifyMessageIntegritySHA256(key: Self.sha256Key)
        #expect(throws: WireError(.integrityMismatch)) { try decoded.verifyMessageIntegritySHA256(key: Self.sha1Key) }

        var flipped = bytes
        flipped[flipped.count - 1] ^= 0x80
        #expect(throws: WireError(.integrityMismatch)) {
            try Self.decode(flipped).verifyMessageIntegritySHA256(key: Self.sha256Key)
        }
    }

    /// Cutting a full MAC down to 16 bytes (and fixing the lengths) does not verify: the
    /// length field the MAC covers changed.
    @Test func truncationByAnAttackerFails() throws {
        let full = try Self.request.encode(EncodingOptions(messageIntegritySHA256Key: Self.sha256Key)).bytes
        let macStart = full.count - 32
        var cut = Array(full[..<(macStart - 4)]) + Raw.u16(AttributeType.messageIntegritySHA256.rawValue) + Raw.u16(16)
            + full[macStart..<(macStart + 16)]
        cut.replaceSubrange(2..<4, with: Raw.u16(UInt16(cut.count - 20)))
        #expect(throws: WireError(.integrityMismatch)) {
            try Self.decode(cut).verifyMessageIntegritySHA256(key: Self.sha256Key)
        }
    }
}
