import NIOCore

/// One STUN attribute with its decoded value (RFC 8489 §14, RFC 8656 §18).
///
/// Values are semantic: addresses are plain, not XOR-ed; the codec applies the XOR on the wire.
/// A type this codec does not know is kept as `.unknown` so that a server can answer 420 for a
/// comprehension-required one (RFC 8489 §7.3.1) and ignore an optional one.
public enum Attribute: Hashable, Sendable {
    case mappedAddress(TransportAddress)
    case xorMappedAddress(TransportAddress)
    case xorPeerAddress(TransportAddress)
    case xorRelayedAddress(TransportAddress)
    case alternateServer(TransportAddress)
    /// UTF-8, sent as fewer than 509 bytes, accepted up to 763 (RFC 8489 §14.3).
    case username(String)
    /// 32 bytes: SHA-256 of `username:realm` (RFC 8489 §14.4).
    case userhash([UInt8])
    /// Fewer than 128 characters and 763 bytes (RFC 8489 §14.9).
    case realm(String)
    /// Fewer than 128 characters and 763 bytes (RFC 8489 §14.10).
    case nonce(String)
    case passwordAlgorithms([PasswordAlgorithm])
    case passwordAlgorithm(PasswordAlgorithm)
    case errorCode(ErrorCode)
    case unknownAttributes([AttributeType])
    case software(String)
    /// A DNS name of at most 255 ASCII characters (RFC 8489 §14.16).
    case alternateDomain(String)
    /// 20 bytes of HMAC-SHA1 (RFC 8489 §14.5).
    case messageIntegrity([UInt8])
    /// 16 to 32 bytes of HMAC-SHA256, a multiple of 4 (RFC 8489 §14.6).
    case messageIntegritySHA256([UInt8])
    /// The CRC-32 value as carried (already XOR-ed with 0x5354554E, RFC 8489 §14.7).
    case fingerprint(UInt32)
    case channelNumber(ChannelNumber)
    /// Seconds (RFC 8656 §18.2).
    case lifetime(UInt32)
    case data(ByteBuffer)
    /// An IANA protocol number; 17 is UDP (RFC 8656 §18.8).
    case requestedTransport(UInt8)
    case requestedAddressFamily(AddressFamily)
    case additionalAddressFamily(AddressFamily)
    case addressErrorCode(AddressFamily, ErrorCode)
    /// The R bit: reserve the next-higher port too (RFC 8656 §18.7).
    case evenPort(reserveNext: Bool)
    case reservationToken(UInt64)
    case dontFragment
    case icmp(ICMPValue)
    case unknown(AttributeType, ByteBuffer)

    public var type: AttributeType {
        switch self {
        case .mappedAddress: .mappedAddress
        case .xorMappedAddress: .xorMappedAddress
        case .xorPeerAddress: .xorPeerAddress
        case .xorRelayedAddress: .xorRelayedAddress
        case .alternateServer: .alternateServer
        case .username: .username
        case .userhash: .userhash
        case .realm: .realm
        case .nonce: .nonce
        case .passwordAlgorithms: .passwordAlgorithms
        case .passwordAlgorithm: .passwordAlgorithm
        case .errorCode: .errorCode
        case .unknownAttributes: .unknownAttributes
        case .software: .software
        case .alternateDomain: .alternateDomain
        case .messageIntegrity: .messageIntegrity
        case .messageIntegritySHA256: .messageIntegritySHA256
        case .fingerprint: .fingerprint
        case .channelNumber: .channelNumber
        case .lifetime: .lifetime
        case .data: .data
        case .requestedTransport: .requestedTransport
        case .requestedAddressFamily: .requestedAddressFamily
        case .additionalAddressFamily: .additionalAddressFamily
        case .addressErrorCode: .addressErrorCode
        case .evenPort: .evenPort
        case .reservationToken: .reservationToken
        case .dontFragment: .dontFragment
        case .icmp: .icmp
        case .unknown(let type, _): type
        }
    }
}

/// The value of an ICMP attribute (RFC 8656 §18.13).
public struct ICMPValue: Hashable, Sendable {
    public var type: UInt8
    public var code: UInt8
    /// Type-specific data, e.g. the next-hop MTU of "fragmentation needed".
    public var errorData: UInt32

    public init(type: UInt8, code: UInt8, errorData: UInt32) {
        self.type = type
        self.code = code
        self.errorData = errorData
    }
}
