import NIOCore
@testable import STUNWire

/// The table the malformed-input tests iterate: framing and header errors here, attribute
/// values in `MalformedCorpus+Attributes.swift`, ChannelData in `MalformedCorpus+ChannelData.swift`.
enum MalformedCorpus {
    static let all: [MalformedCase] = header + framing + attributes + channelData

    /// A valid Binding request with SOFTWARE and FINGERPRINT (28 + 8 bytes of body).
    static let fingerprinted: [UInt8] = {
        let message = STUNMessage(
            type: MessageType(.binding, .request), transactionID: Raw.id, attributes: [.software("corpus")])
        return try! message.encode(EncodingOptions(fingerprint: true)).bytes
    }()

    /// `bytes` with the FINGERPRINT value at attribute `offset` set to the correct CRC.
    static func fixFingerprint(_ bytes: [UInt8], at offset: Int) -> [UInt8] {
        var fixed = bytes
        let crc = Integrity.fingerprint(over: ByteBuffer(bytes: bytes), upTo: offset)
        fixed.replaceSubrange(offset + 4..<offset + 8, with: Raw.u32(crc))
        return fixed
    }

    static let header: [MalformedCase] = {
        let valid = Raw.message()
        var cases = (0..<STUNMessage.headerLength).map {
            MalformedCase(description: "header truncated to \($0) bytes", bytes: Array(valid.prefix($0)),
                          expected: .truncatedHeader)
        }
        cases += [
            MalformedCase(description: "top bits 10", bytes: Raw.message(type: 0x8001), expected: .notSTUN),
            MalformedCase(description: "top bits 01", bytes: Raw.message(type: 0x4001), expected: .notSTUN),
            MalformedCase(description: "top bits 11", bytes: Raw.message(type: 0xC001), expected: .notSTUN),
            MalformedCase(description: "wrong magic cookie", bytes: Raw.message(cookie: [0x21, 0x12, 0xA4, 0x43]),
                          expected: .badMagicCookie),
            MalformedCase(description: "RFC 3489 message (no cookie)", bytes: Raw.message(cookie: [0, 0, 0, 0]),
                          expected: .badMagicCookie),
            MalformedCase(description: "length 2, body 2", bytes: Raw.message(length: 2, body: [0, 0]),
                          expected: .lengthNotMultipleOfFour),
            MalformedCase(description: "length 7, body 8", bytes: Raw.message(length: 7, body: [UInt8](repeating: 0, count: 8)),
                          expected: .lengthNotMultipleOfFour),
            MalformedCase(description: "length field larger than body",
                          bytes: Raw.message(length: 12, body: Raw.attribute(.lifetime, Raw.u32(1))),
                          expected: .lengthMismatch),
            MalformedCase(description: "length field smaller than body",
                          bytes: Raw.message(length: 4, body: Raw.attribute(.lifetime, Raw.u32(1))),
                          expected: .lengthMismatch),
            MalformedCase(description: "length 0 with trailing bytes",
                          bytes: Raw.message(length: 0, body: [0, 0, 0, 0]), expected: .lengthMismatch),
        ]
        return cases
    }()

    static let framing: [MalformedCase] = {
        let fingerprintOffset = fingerprinted.count - 8
        var badCRC = fingerprinted
        badCRC[badCRC.count - 1] ^= 0x01
        var badBody = fingerprinted
        badBody[STUNMessage.headerLength + 4] ^= 0x20  // a letter of SOFTWARE changes case
        // FINGERPRINT followed by LIFETIME, with the CRC correct for the final length field.
        let trailing = Raw.attribute(.lifetime, Raw.u32(1))
        var afterFingerprint = fingerprinted + trailing
        afterFingerprint.replaceSubrange(2..<4, with: Raw.u16(UInt16(afterFingerprint.count - 20)))
        afterFingerprint = fixFingerprint(afterFingerprint, at: fingerprintOffset)
        // Two FINGERPRINTs, the first one correct.
        var twoFingerprints = fingerprinted + Raw.attribute(.fingerprint, [0, 0, 0, 0])
        twoFingerprints.replaceSubrange(2..<4, with: Raw.u16(UInt16(twoFingerprints.count - 20)))
        twoFingerprints = fixFingerprint(twoFingerprints, at: fingerprintOffset)

        return [
            // The body is a multiple of 4 and attributes are padded to 4, so a partial
            // attribute header can only arise from a length field that is not a multiple of 4.
            MalformedCase(description: "attribute header truncated",
                          bytes: Raw.message(length: 2, body: Raw.u16(AttributeType.lifetime.rawValue)),
                          expected: .lengthNotMultipleOfFour),
            MalformedCase(description: "attribute value runs past the end",
                          bytes: Raw.message(body: Raw.u16(AttributeType.username.rawValue) + Raw.u16(8) + [0x61, 0x62, 0x63, 0x64]),
                          expected: .attributeTruncated),
            MalformedCase(description: "attribute padding runs past the end",
                          bytes: Raw.message(body: Raw.u16(AttributeType.username.rawValue) + Raw.u16(5) + [0x61, 0x62, 0x63, 0x64]),
                          expected: .attributeTruncated),
            MalformedCase(description: "attribute length 0xFFFF",
                          bytes: Raw.message(body: Raw.u16(AttributeType.data.rawValue) + Raw.u16(0xFFFF)),
                          expected: .attributeTruncated),
            MalformedCase(description: "FINGERPRINT value wrong", bytes: badCRC, expected: .fingerprintMismatch),
            MalformedCase(description: "FINGERPRINT over altered body", bytes: badBody, expected: .fingerprintMismatch),
            MalformedCase(description: "FINGERPRINT not XOR-ed with 0x5354554E",
                          bytes: { var b = fingerprinted
                                   b.replaceSubrange(fingerprintOffset + 4..<b.count,
                                                     with: Raw.u32(Integrity.fingerprint(over: ByteBuffer(bytes: b), upTo: fingerprintOffset) ^ Integrity.fingerprintXOR))
                                   return b }(),
                          expected: .fingerprintMismatch),
            MalformedCase(description: "attribute after FINGERPRINT", bytes: afterFingerprint,
                          expected: .attributeAfterFingerprint),
            MalformedCase(description: "two FINGERPRINTs", bytes: twoFingerprints, expected: .attributeAfterFingerprint),
            MalformedCase(description: "two USERNAME",
                          bytes: Raw.message(Raw.attribute(.username, Array("a".utf8)), Raw.attribute(.username, Array("b".utf8))),
                          expected: .duplicateAttribute),
            MalformedCase(description: "two LIFETIME",
                          bytes: Raw.message(Raw.attribute(.lifetime, Raw.u32(1)), Raw.attribute(.lifetime, Raw.u32(1))),
                          expected: .duplicateAttribute),
            MalformedCase(description: "two XOR-MAPPED-ADDRESS",
                          bytes: Raw.message(Raw.attribute(.xorMappedAddress, [0, 1, 0, 0, 1, 2, 3, 4]),
                                             Raw.attribute(.xorMappedAddress, [0, 1, 0, 0, 1, 2, 3, 4])),
                          expected: .duplicateAttribute),
            MalformedCase(description: "two CHANNEL-NUMBER, second one different",
                          bytes: Raw.message(Raw.attribute(.channelNumber, [0x40, 0, 0, 0]),
                                             Raw.attribute(.channelNumber, [0x40, 1, 0, 0])),
                          expected: .duplicateAttribute),
            MalformedCase(description: "two REQUESTED-TRANSPORT with USERNAME between",
                          bytes: Raw.message(Raw.attribute(.requestedTransport, [17, 0, 0, 0]),
                                             Raw.attribute(.username, Array("u".utf8)),
                                             Raw.attribute(.requestedTransport, [6, 0, 0, 0])),
                          expected: .duplicateAttribute),
        ]
    }()
}
