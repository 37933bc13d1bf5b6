import NIOCore

/// Decodes one attribute value into its typed form. Every length is checked before any read;
/// nothing is allocated beyond the value's own bytes.
enum AttributeDecoder {
    /// RFC 8489 §14.3, §14.8-§14.10, §14.14: USERNAME, reason, REALM, NONCE and SOFTWARE are
    /// sent shorter (USERNAME under 509 bytes, the others under 128 characters) but a receiver
    /// must parse up to 763 bytes of each, for compatibility with RFC 5389.
    static let maximumTextBytes = 763
    /// RFC 8489 §14.16: ALTERNATE-DOMAIN is a DNS name of 255 or fewer ASCII characters.
    static let maximumDomainBytes = 255

    static func decode(
        _ type: AttributeType, _ value: ByteBuffer, transactionID: TransactionID
    ) throws(WireError) -> Attribute {
        func invalid(_ why: String) -> WireError {
            WireError(.invalidAttributeValue, attribute: type, why)
        }
        func requireLength(_ count: Int) throws(WireError) {
            guard value.readableBytes == count else {
                throw invalid("length \(value.readableBytes), expected \(count)")
            }
        }
        func u8(_ offset: Int) -> UInt8 { value.getInteger(at: value.readerIndex + offset)! }
        func u16(_ offset: Int) -> UInt16 { value.getInteger(at: value.readerIndex + offset)! }
        func u32(_ offset: Int) -> UInt32 { value.getInteger(at: value.readerIndex + offset)! }
        func text(limit: Int) throws(WireError) -> String {
            guard value.readableBytes <= limit else { throw invalid("longer than \(limit) bytes") }
            let bytes = value.readableBytesView
            guard let string = String(validating: bytes, as: UTF8.self) else {
                throw invalid("not UTF-8")
            }
            return string
        }
        func bytes() -> [UInt8] { Array(value.readableBytesView) }
        func family(_ byte: UInt8) throws(WireError) -> AddressFamily {
            guard let family = AddressFamily(rawValue: byte) else {
                throw WireError(.invalidAddressFamily, attribute: type, "family 0x\(String(byte, radix: 16))")
            }
            return family
        }
        func address(xor: Bool) throws(WireError) -> TransportAddress {
            try AddressCodec.decode(value, xor: xor, transactionID: transactionID, attribute: type)
        }
        /// RFC 8489 §14.8 layout: 21 reserved bits, class (3 bits), number (8 bits), reason.
        func errorCode(classOffset: Int) throws(WireError) -> ErrorCode {
            let errorClass = u8(classOffset) & 0x07
            let number = u8(classOffset + 1)
            guard (3...6).contains(errorClass), number < 100 else {
                throw invalid("error class \(errorClass) number \(number)")
            }
            var reasonBytes = value
            reasonBytes.moveReaderIndex(forwardBy: classOffset + 2)
            guard reasonBytes.readableBytes <= maximumTextBytes,
                  let reason = String(validating: reasonBytes.readableBytesView, as: UTF8.self) else {
                throw invalid("reason phrase not UTF-8 or too long")
            }
            return ErrorCode(code: UInt16(errorClass) * 100 + UInt16(number), reason: reason)
        }

        switch type {
        case .mappedAddress: return .mappedAddress(try address(xor: false))
        case .alternateServer: return .alternateServer(try address(xor: false))
        case .xorMappedAddress: return .xorMappedAddress(try address(xor: true))
        case .xorPeerAddress: return .xorPeerAddress(try address(xor: true))
        case .xorRelayedAddress: return .xorRelayedAddress(try address(xor: true))
        case .username: return .username(try text(limit: maximumTextBytes))
        case .realm: return .realm(try text(limit: maximumTextBytes))
        case .nonce: return .nonce(try text(limit: maximumTextBytes))
        case .software: return .software(try text(limit: maximumTextBytes))
        case .alternateDomain:
            let domain = try text(limit: maximumDomainBytes)
            guard domain.utf8.allSatisfy({ $0 < 0x80 }) else { throw invalid("not ASCII") }
            return .alternateDomain(domain)
        case .userhash:
            try requireLength(32)
            return .userhash(bytes())
        case .messageIntegrity:
            try requireLength(HMACSHA1.byteCount)
            return .messageIntegrity(bytes())
        case .messageIntegritySHA256:
            // RFC 8489 §14.6: at least 16 bytes, at most 32, a multiple of 4.
            guard (16...32).contains(value.readableBytes), value.readableBytes % 4 == 0 else {
                throw invalid("length \(value.readableBytes)")
            }
            return .messageIntegritySHA256(bytes())
        case .fingerprint:
            try requireLength(4)
            return .fingerprint(u32(0))
        case .errorCode:
            guard value.readableBytes >= 4 else { throw invalid("shorter than 4 bytes") }
            return .errorCode(try errorCode(classOffset: 2))
        case .addressErrorCode:
            // RFC 8656 §18.12: family (8 bits), 13 reserved bits, class, number, reason.
            guard value.readableBytes >= 4 else { throw invalid("shorter than 4 bytes") }
            return .addressErrorCode(try family(u8(0)), try errorCode(classOffset: 2))
        case .unknownAttributes:
            guard value.readableBytes % 2 == 0 else { throw invalid("odd length") }
            return .unknownAttributes(
                stride(from: 0, to: value.readableBytes, by: 2).map { AttributeType(rawValue: u16($0)) })
        case .passwordAlgorithm:
            let algorithms = try passwordAlgorithms(value, type: type)
            guard algorithms.count == 1 else { throw invalid("\(algorithms.count) algorithms") }
            return .passwordAlgorithm(algorithms[0])
        case .passwordAlgorithms:
            return .passwordAlgorithms(try passwordAlgorithms(value, type: type))
        case .channelNumber:
            // RFC 8656 §18.1: number (16 bits), RFFU (16 bits). Validity is the server's call (400).
            try requireLength(4)
            return .channelNumber(ChannelNumber(rawValue: u16(0)))
        case .lifetime:
            try requireLength(4)
            return .lifetime(u32(0))
        case .data:
            return .data(value)
        case .requestedTransport:
            // RFC 8656 §18.8: protocol (8 bits), RFFU (24 bits).
            try requireLength(4)
            return .requestedTransport(u8(0))
        case .requestedAddressFamily:
            try requireLength(4)
            return .requestedAddressFamily(try family(u8(0)))
        case .additionalAddressFamily:
            try requireLength(4)
            return .additionalAddressFamily(try family(u8(0)))
        case .evenPort:
            // RFC 8656 §18.7: one byte, R in the top bit, the rest RFFU.
            try requireLength(1)
            return .evenPort(reserveNext: u8(0) & 0x80 != 0)
        case .reservationToken:
            try requireLength(8)
            return .reservationToken(value.getInteger(at: value.readerIndex)!)
        case .dontFragment:
            try requireLength(0)
            return .dontFragment
        case .icmp:
            // RFC 8656 §18.13: reserved (16 bits), type, code, error data (32 bits).
            try requireLength(8)
            return .icmp(ICMPValue(type: u8(2), code: u8(3), errorData: u32(4)))
        default:
            return .unknown(type, value)
        }
    }

    /// RFC 8489 §14.11, §14.12: a sequence of algorithm (16 bits), parameters length (16 bits)
    /// and parameters padded to a multiple of 4, exactly filling the value.
    private static func passwordAlgorithms(
        _ value: ByteBuffer, type: AttributeType
    ) throws(WireError) -> [PasswordAlgorithm] {
        var cursor = value
        var algorithms: [PasswordAlgorithm] = []
        while cursor.readableBytes > 0 {
            guard let number = cursor.readInteger(as: UInt16.self),
                  let length = cursor.readInteger(as: UInt16.self),
                  let parameters = cursor.readBytes(length: Int(length)) else {
                throw WireError(.invalidAttributeValue, attribute: type, "algorithm entry truncated")
            }
            let padding = (4 - Int(length) % 4) % 4
            guard cursor.readableBytes >= padding else {
                throw WireError(.invalidAttributeValue, attribute: type, "algorithm padding truncated")
            }
            cursor.moveReaderIndex(forwardBy: padding)
            algorithms.append(PasswordAlgorithm(number: number, parameters: parameters))
        }
        return algorithms
    }
}
