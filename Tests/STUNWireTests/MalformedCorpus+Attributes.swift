@testable import STUNWire

/// Attribute values that are the wrong size or carry impossible contents.
extension MalformedCorpus {
    /// A message whose only attribute is `type` with `value`.
    static func single(_ description: String, _ type: AttributeType, _ value: [UInt8], _ expected: WireError.Code) -> MalformedCase {
        MalformedCase(description: "\(type): \(description)", bytes: Raw.message(Raw.attribute(type, value)), expected: expected)
    }

    static let addressTypes: [AttributeType] = [
        .mappedAddress, .xorMappedAddress, .xorPeerAddress, .xorRelayedAddress, .alternateServer,
    ]

    static let attributes: [MalformedCase] = addresses + texts + fixedLengths + errorCodes + lists

    static let addresses: [MalformedCase] = addressTypes.flatMap { type in
        let v4 = [UInt8](repeating: 7, count: 4)
        let v6 = [UInt8](repeating: 7, count: 16)
        return [
            single("family 0x00", type, [0, 0x00, 0, 1] + v4, .invalidAddressFamily),
            single("family 0x03", type, [0, 0x03, 0, 1] + v4, .invalidAddressFamily),
            single("family 0xFF with IPv6 length", type, [0, 0xFF, 0, 1] + v6, .invalidAddressFamily),
            single("IPv4 with IPv6 length", type, [0, 0x01, 0, 1] + v6, .invalidAttributeValue),
            single("IPv6 with IPv4 length", type, [0, 0x02, 0, 1] + v4, .invalidAttributeValue),
            single("IPv4 one byte short", type, [0, 0x01, 0, 1, 7, 7, 7], .invalidAttributeValue),
            single("IPv4 one byte long", type, [0, 0x01, 0, 1] + v4 + [0], .invalidAttributeValue),
            single("shorter than family and port", type, [0, 0x01], .invalidAttributeValue),
            single("empty", type, [], .invalidAttributeValue),
        ]
    } + [
        single("family 0x03", .requestedAddressFamily, [0x03, 0, 0, 0], .invalidAddressFamily),
        single("family 0x00", .additionalAddressFamily, [0x00, 0, 0, 0], .invalidAddressFamily),
        single("family 0x03", .addressErrorCode, [0x03, 0, 4, 40], .invalidAddressFamily),
    ]

    static let texts: [MalformedCase] = {
        let over = [UInt8](repeating: 0x61, count: AttributeDecoder.maximumTextBytes + 1)
        return [
            // RFC 8489 §14.3: receivers must accept up to 763 bytes of USERNAME, so 764 is the
            // first oversized length (RFC 5389's "fewer than 513" no longer bounds parsing).
            single("764 bytes", .username, over, .invalidAttributeValue),
            single("764 bytes", .realm, over, .invalidAttributeValue),
            single("764 bytes", .nonce, over, .invalidAttributeValue),
            single("764 bytes", .software, over, .invalidAttributeValue),
            single("256 bytes", .alternateDomain, [UInt8](repeating: 0x61, count: 256), .invalidAttributeValue),
            single("non-ASCII", .alternateDomain, Array("bücher.example".utf8), .invalidAttributeValue),
            single("reason of 764 bytes", .errorCode, [0, 0, 4, 0] + over, .invalidAttributeValue),
            single("invalid byte 0xFF", .username, [0x61, 0xFF, 0x62], .invalidAttributeValue),
            single("overlong NUL", .realm, [0xC0, 0x80], .invalidAttributeValue),
            single("lone continuation byte", .software, [0x80], .invalidAttributeValue),
            single("encoded surrogate", .nonce, [0xED, 0xA0, 0x80], .invalidAttributeValue),
            single("truncated sequence", .alternateDomain, [0xE3, 0x83], .invalidAttributeValue),
            single("reason not UTF-8", .errorCode, [0, 0, 4, 0, 0xFE], .invalidAttributeValue),
        ]
    }()

    static let fixedLengths: [MalformedCase] = {
        func wrong(_ type: AttributeType, _ lengths: [Int]) -> [MalformedCase] {
            lengths.map { single("length \($0)", type, [UInt8](repeating: 0x01, count: $0), .invalidAttributeValue) }
        }
        return wrong(.lifetime, [0, 3, 5, 8])
            + wrong(.channelNumber, [2, 3, 8])
            + wrong(.requestedTransport, [1, 2, 8])
            + wrong(.requestedAddressFamily, [1, 8])
            + wrong(.additionalAddressFamily, [2, 8])
            + wrong(.evenPort, [0, 2, 4])
            + wrong(.reservationToken, [4, 7, 12])
            + wrong(.dontFragment, [1, 4])
            + wrong(.userhash, [0, 20, 31, 33])
            + wrong(.messageIntegrity, [16, 19, 21, 32])
            + wrong(.messageIntegritySHA256, [0, 12, 18, 30, 36])
            + wrong(.fingerprint, [2, 8])
            + wrong(.icmp, [4, 7, 12])
            + wrong(.errorCode, [0, 2])
            + wrong(.addressErrorCode, [0, 2])
    }()

    static let errorCodes: [MalformedCase] = [
        single("class 2", .errorCode, [0, 0, 2, 0], .invalidAttributeValue),
        single("class 7", .errorCode, [0, 0, 7, 0], .invalidAttributeValue),
        single("class 0", .errorCode, [0, 0, 0, 0], .invalidAttributeValue),
        single("number 100", .errorCode, [0, 0, 4, 100], .invalidAttributeValue),
        single("number 255", .errorCode, [0, 0, 6, 255], .invalidAttributeValue),
        single("class 7", .addressErrorCode, [0x01, 0, 7, 0], .invalidAttributeValue),
        single("number 100", .addressErrorCode, [0x02, 0, 4, 100], .invalidAttributeValue),
    ]

    static let lists: [MalformedCase] = [
        single("entry header truncated", .passwordAlgorithms, [0, 1], .invalidAttributeValue),
        single("parameters truncated", .passwordAlgorithms, [0, 1, 0, 0, 0, 2, 0, 4, 1, 2], .invalidAttributeValue),
        single("parameter padding truncated", .passwordAlgorithms, [0, 2, 0, 1, 9], .invalidAttributeValue),
        single("second entry header truncated", .passwordAlgorithms, [0, 1, 0, 0, 0, 2, 0], .invalidAttributeValue),
        single("parameters truncated", .passwordAlgorithm, [0, 2, 0, 4, 1, 2], .invalidAttributeValue),
        single("no algorithm", .passwordAlgorithm, [], .invalidAttributeValue),
        single("two algorithms", .passwordAlgorithm, [0, 1, 0, 0, 0, 2, 0, 0], .invalidAttributeValue),
        single("odd length", .unknownAttributes, [0x00, 0x24, 0x80], .invalidAttributeValue),
        single("one byte", .unknownAttributes, [0x00], .invalidAttributeValue),
    ]
}
