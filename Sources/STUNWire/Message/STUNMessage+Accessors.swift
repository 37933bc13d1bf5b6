import NIOCore

/// Typed access to the first instance of each attribute (RFC 8489 §14: only the first
/// occurrence of a repeated attribute needs to be processed).
extension STUNMessage {
    public func first(_ type: AttributeType) -> Attribute? {
        attributes.first { $0.type == type }
    }

    public func contains(_ type: AttributeType) -> Bool {
        attributes.contains { $0.type == type }
    }

    public var username: String? {
        for case .username(let value) in attributes { return value }
        return nil
    }

    public var userhash: [UInt8]? {
        for case .userhash(let value) in attributes { return value }
        return nil
    }

    public var realm: String? {
        for case .realm(let value) in attributes { return value }
        return nil
    }

    public var nonce: String? {
        for case .nonce(let value) in attributes { return value }
        return nil
    }

    public var software: String? {
        for case .software(let value) in attributes { return value }
        return nil
    }

    public var errorCode: ErrorCode? {
        for case .errorCode(let value) in attributes { return value }
        return nil
    }

    public var lifetime: UInt32? {
        for case .lifetime(let value) in attributes { return value }
        return nil
    }

    public var channelNumber: ChannelNumber? {
        for case .channelNumber(let value) in attributes { return value }
        return nil
    }

    public var data: ByteBuffer? {
        for case .data(let value) in attributes { return value }
        return nil
    }

    public var requestedTransport: UInt8? {
        for case .requestedTransport(let value) in attributes { return value }
        return nil
    }

    public var requestedAddressFamily: AddressFamily? {
        for case .requestedAddressFamily(let value) in attributes { return value }
        return nil
    }

    public var additionalAddressFamily: AddressFamily? {
        for case .additionalAddressFamily(let value) in attributes { return value }
        return nil
    }

    public var evenPort: Bool? {
        for case .evenPort(let reserveNext) in attributes { return reserveNext }
        return nil
    }

    public var reservationToken: UInt64? {
        for case .reservationToken(let value) in attributes { return value }
        return nil
    }

    public var passwordAlgorithm: PasswordAlgorithm? {
        for case .passwordAlgorithm(let value) in attributes { return value }
        return nil
    }

    public var passwordAlgorithms: [PasswordAlgorithm]? {
        for case .passwordAlgorithms(let value) in attributes { return value }
        return nil
    }

    public var xorMappedAddress: TransportAddress? {
        for case .xorMappedAddress(let value) in attributes { return value }
        return nil
    }

    /// Every XOR-PEER-ADDRESS, in order (a CreatePermission may carry several, RFC 8656 §9.1).
    public var xorPeerAddresses: [TransportAddress] {
        attributes.compactMap { if case .xorPeerAddress(let value) = $0 { value } else { nil } }
    }

    /// Every XOR-RELAYED-ADDRESS, in order (two for a dual allocation, RFC 8656 §7.3).
    public var xorRelayedAddresses: [TransportAddress] {
        attributes.compactMap { if case .xorRelayedAddress(let value) = $0 { value } else { nil } }
    }

    /// Comprehension-required types this codec does not understand (RFC 8489 §7.3.1: a request
    /// carrying any gets 420 with UNKNOWN-ATTRIBUTES; other classes are discarded).
    public var unknownComprehensionRequired: [AttributeType] {
        attributes.compactMap {
            if case .unknown(let type, _) = $0, type.isComprehensionRequired { type } else { nil }
        }
    }
}
