/// The 16-bit type of a STUN attribute (RFC 8489 §18.3, RFC 8656 §18).
public struct AttributeType: RawRepresentable, Hashable, Sendable, Comparable {
    public var rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// RFC 8489 §14: types 0x0000-0x7FFF must be understood or the request fails with 420.
    public var isComprehensionRequired: Bool { rawValue < 0x8000 }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    // RFC 8489 §18.3.1, comprehension-required
    public static let mappedAddress = AttributeType(rawValue: 0x0001)
    public static let username = AttributeType(rawValue: 0x0006)
    public static let messageIntegrity = AttributeType(rawValue: 0x0008)
    public static let errorCode = AttributeType(rawValue: 0x0009)
    public static let unknownAttributes = AttributeType(rawValue: 0x000A)
    public static let realm = AttributeType(rawValue: 0x0014)
    public static let nonce = AttributeType(rawValue: 0x0015)
    public static let messageIntegritySHA256 = AttributeType(rawValue: 0x001C)
    public static let passwordAlgorithm = AttributeType(rawValue: 0x001D)
    public static let userhash = AttributeType(rawValue: 0x001E)
    public static let xorMappedAddress = AttributeType(rawValue: 0x0020)
    // RFC 8489 §18.3.2, comprehension-optional
    public static let passwordAlgorithms = AttributeType(rawValue: 0x8002)
    public static let alternateDomain = AttributeType(rawValue: 0x8003)
    public static let software = AttributeType(rawValue: 0x8022)
    public static let alternateServer = AttributeType(rawValue: 0x8023)
    public static let fingerprint = AttributeType(rawValue: 0x8028)
    // RFC 8656 §18
    public static let channelNumber = AttributeType(rawValue: 0x000C)
    public static let lifetime = AttributeType(rawValue: 0x000D)
    public static let xorPeerAddress = AttributeType(rawValue: 0x0012)
    public static let data = AttributeType(rawValue: 0x0013)
    public static let xorRelayedAddress = AttributeType(rawValue: 0x0016)
    public static let requestedAddressFamily = AttributeType(rawValue: 0x0017)
    public static let evenPort = AttributeType(rawValue: 0x0018)
    public static let requestedTransport = AttributeType(rawValue: 0x0019)
    public static let dontFragment = AttributeType(rawValue: 0x001A)
    public static let reservationToken = AttributeType(rawValue: 0x0022)
    public static let additionalAddressFamily = AttributeType(rawValue: 0x8000)
    public static let addressErrorCode = AttributeType(rawValue: 0x8001)
    public static let icmp = AttributeType(rawValue: 0x8004)

    /// Types that may legitimately appear more than once in one message: several
    /// XOR-PEER-ADDRESS in a CreatePermission (RFC 8656 §9.1) and two XOR-RELAYED-ADDRESS in a
    /// dual-allocation response (RFC 8656 §7.3). Unknown types are passed through untouched.
    public var mayRepeat: Bool {
        self == .xorPeerAddress || self == .xorRelayedAddress || !Self.known.contains(self)
    }

    /// Every type this codec decodes into a typed value.
    public static let known: Set<AttributeType> = [
        .mappedAddress, .username, .messageIntegrity, .errorCode, .unknownAttributes, .realm, .nonce,
        .messageIntegritySHA256, .passwordAlgorithm, .userhash, .xorMappedAddress, .passwordAlgorithms,
        .alternateDomain, .software, .alternateServer, .fingerprint, .channelNumber, .lifetime,
        .xorPeerAddress, .data, .xorRelayedAddress, .requestedAddressFamily, .evenPort,
        .requestedTransport, .dontFragment, .reservationToken, .additionalAddressFamily,
        .addressErrorCode, .icmp,
    ]
}

extension AttributeType: CustomStringConvertible {
    public var description: String {
        switch self {
        case .mappedAddress: "MAPPED-ADDRESS"
        case .username: "USERNAME"
        case .messageIntegrity: "MESSAGE-INTEGRITY"
        case .errorCode: "ERROR-CODE"
        case .unknownAttributes: "UNKNOWN-ATTRIBUTES"
        case .realm: "REALM"
        case .nonce: "NONCE"
        case .messageIntegritySHA256: "MESSAGE-INTEGRITY-SHA256"
        case .passwordAlgorithm: "PASSWORD-ALGORITHM"
        case .userhash: "USERHASH"
        case .xorMappedAddress: "XOR-MAPPED-ADDRESS"
        case .passwordAlgorithms: "PASSWORD-ALGORITHMS"
        case .alternateDomain: "ALTERNATE-DOMAIN"
        case .software: "SOFTWARE"
        case .alternateServer: "ALTERNATE-SERVER"
        case .fingerprint: "FINGERPRINT"
        case .channelNumber: "CHANNEL-NUMBER"
        case .lifetime: "LIFETIME"
        case .xorPeerAddress: "XOR-PEER-ADDRESS"
        case .data: "DATA"
        case .xorRelayedAddress: "XOR-RELAYED-ADDRESS"
        case .requestedAddressFamily: "REQUESTED-ADDRESS-FAMILY"
        case .evenPort: "EVEN-PORT"
        case .requestedTransport: "REQUESTED-TRANSPORT"
        case .dontFragment: "DONT-FRAGMENT"
        case .reservationToken: "RESERVATION-TOKEN"
        case .additionalAddressFamily: "ADDITIONAL-ADDRESS-FAMILY"
        case .addressErrorCode: "ADDRESS-ERROR-CODE"
        case .icmp: "ICMP"
        default: "0x" + String(rawValue, radix: 16)
        }
    }
}
