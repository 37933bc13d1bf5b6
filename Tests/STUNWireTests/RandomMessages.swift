import NIOCore
@testable import STUNWire

/// Random but valid messages for the round-trip properties: every attribute case, values
/// anywhere inside the limits the decoder enforces.
struct RandomMessages<Generator: RandomNumberGenerator> {
    var rng: Generator

    init(_ rng: Generator) { self.rng = rng }

    mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) } }

    mutating func bool() -> Bool { Bool.random(using: &rng) }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }

    mutating func family() -> AddressFamily { bool() ? .ipv4 : .ipv6 }

    mutating func address() -> TransportAddress {
        let ip: IPAddress = switch family() {
        case .ipv4: .v4(IPv4Address(rawValue: rng.next()))
        case .ipv6: .v6(IPv6Address(rawValue: UInt128(rng.next() as UInt64) << 64 | UInt128(rng.next() as UInt64)))
        }
        return TransportAddress(ip: ip, port: rng.next())
    }

    /// Scalars from several scripts (1 to 4 UTF-8 bytes each), at most `maximumBytes` in all.
    mutating func text(maximumBytes: Int) -> String {
        let ranges: [ClosedRange<UInt32>] = [0x20...0x7E, 0xA0...0xFF, 0x391...0x3C9, 0x4E00...0x9FFF, 0x1F600...0x1F64F]
        var result = String.UnicodeScalarView()
        var used = 0
        let target = int(0...maximumBytes)
        while true {
            let range = ranges[int(0...ranges.count - 1)]
            let scalar = Unicode.Scalar(UInt32.random(in: range, using: &rng))!
            let size = UTF8.width(scalar)
            guard used + size <= target else { break }
            result.append(scalar)
            used += size
        }
        return String(result)
    }

    /// Mostly short, sometimes up to the decoder's limit.
    mutating func longText() -> Int { int(0...7) == 0 ? AttributeDecoder.maximumTextBytes : 64 }

    mutating func ascii(maximumBytes: Int) -> String {
        String(decoding: (0..<int(0...maximumBytes)).map { _ in UInt8.random(in: 0x21...0x7E, using: &rng) }, as: UTF8.self)
    }

    mutating func errorCode() -> ErrorCode {
        ErrorCode(code: UInt16(int(300...699)), reason: text(maximumBytes: longText()))
    }

    mutating func passwordAlgorithm() -> PasswordAlgorithm {
        PasswordAlgorithm(number: rng.next(), parameters: bytes(int(0...7)))
    }

    mutating func unknownType(comprehensionRequired: Bool) -> AttributeType {
        while true {
            let raw: UInt16 = rng.next()
            let type = AttributeType(rawValue: comprehensionRequired ? raw & 0x7FFF : raw | 0x8000)
            if !AttributeType.known.contains(type) { return type }
        }
    }

    /// Every case except the three the encoder appends itself (the integrity attributes and
    /// FINGERPRINT); `attribute(kind:)` maps 0..<kindCount onto them.
    static var kindCount: Int { 28 }

    mutating func attribute(kind: Int) -> Attribute {
        switch kind {
        case 0: .mappedAddress(address())
        case 1: .xorMappedAddress(address())
        case 2: .xorPeerAddress(address())
        case 3: .xorRelayedAddress(address())
        case 4: .alternateServer(address())
        case 5: .username(text(maximumBytes: longText()))
        case 6: .userhash(bytes(32))
        case 7: .realm(text(maximumBytes: longText()))
        case 8: .nonce(text(maximumBytes: longText()))
        case 9: .passwordAlgorithms((0..<int(0...4)).map { _ in passwordAlgorithm() })
        case 10: .passwordAlgorithm(passwordAlgorithm())
        case 11: .errorCode(errorCode())
        case 12: .unknownAttributes((0..<int(0...6)).map { _ in AttributeType(rawValue: rng.next()) })
        case 13: .software(text(maximumBytes: longText()))
        case 14: .alternateDomain(ascii(maximumBytes: AttributeDecoder.maximumDomainBytes))
        case 15: .channelNumber(ChannelNumber(rawValue: rng.next()))
        case 16: .lifetime(rng.next())
        case 17: .data(ByteBuffer(bytes: bytes(int(0...300))))
        case 18: .requestedTransport(rng.next())
        case 19: .requestedAddressFamily(family())
        case 20: .additionalAddressFamily(family())
        case 21: .addressErrorCode(family(), errorCode())
        case 22: .evenPort(reserveNext: bool())
        case 23: .reservationToken(rng.next())
        case 24: .dontFragment
        case 25: .icmp(ICMPValue(type: rng.next(), code: rng.next(), errorData: rng.next()))
        case 26: .unknown(unknownType(comprehensionRequired: true), ByteBuffer(bytes: bytes(int(0...40))))
        default: .unknown(unknownType(comprehensionRequired: false), ByteBuffer(bytes: bytes(int(0...40))))
        }
    }

    /// A message with a random subset of kinds in random order; the types that may repeat get
    /// up to three instances. With `trailingIntegrity`, random MESSAGE-INTEGRITY and/or
    /// MESSAGE-INTEGRITY-SHA256 values end the list (decoded as values, not verified).
    mutating func message(trailingIntegrity: Bool) -> STUNMessage {
        var attributes: [Attribute] = []
        for kind in (0..<Self.kindCount).shuffled(using: &rng) where int(0...2) == 0 {
            let first = attribute(kind: kind)
            attributes.append(first)
            if first.type.mayRepeat {
                for _ in 0..<int(0...2) { attributes.append(attribute(kind: kind)) }
            }
        }
        if trailingIntegrity {
            if bool() { attributes.append(.messageIntegrity(bytes(HMACSHA1.byteCount))) }
            if bool() { attributes.append(.messageIntegritySHA256(bytes(4 * int(4...8)))) }
        }
        let method = Method(rawValue: UInt16(int(0...0xFFF)))!
        let messageClass = MessageClass.allCases[int(0...3)]
        return STUNMessage(type: MessageType(method, messageClass), transactionID: .random(using: &rng), attributes: attributes)
    }
}
