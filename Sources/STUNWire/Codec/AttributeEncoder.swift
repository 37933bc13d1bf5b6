import NIOCore

/// Writes one attribute value (without its type-length header or padding).
enum AttributeEncoder {
    static func encodeValue(
        _ attribute: Attribute, transactionID: TransactionID, into buffer: inout ByteBuffer
    ) {
        func address(_ value: TransportAddress, xor: Bool) {
            AddressCodec.encode(value, xor: xor, transactionID: transactionID, into: &buffer)
        }
        func errorCode(_ value: ErrorCode) {
            buffer.writeInteger(UInt8(value.code / 100 & 0x07))
            buffer.writeInteger(UInt8(value.code % 100))
            buffer.writeString(value.reason)
        }
        func algorithm(_ value: PasswordAlgorithm) {
            buffer.writeInteger(value.number)
            buffer.writeInteger(UInt16(value.parameters.count))
            buffer.writeBytes(value.parameters)
            buffer.writeRepeatingByte(0, count: (4 - value.parameters.count % 4) % 4)
        }

        switch attribute {
        case .mappedAddress(let value): address(value, xor: false)
        case .alternateServer(let value): address(value, xor: false)
        case .xorMappedAddress(let value): address(value, xor: true)
        case .xorPeerAddress(let value): address(value, xor: true)
        case .xorRelayedAddress(let value): address(value, xor: true)
        case .username(let value), .realm(let value), .nonce(let value), .software(let value),
             .alternateDomain(let value):
            buffer.writeString(value)
        case .userhash(let value), .messageIntegrity(let value), .messageIntegritySHA256(let value):
            buffer.writeBytes(value)
        case .fingerprint(let value):
            buffer.writeInteger(value)
        case .errorCode(let value):
            buffer.writeInteger(UInt16(0))
            errorCode(value)
        case .addressErrorCode(let family, let value):
            buffer.writeInteger(family.rawValue)
            buffer.writeInteger(UInt8(0))
            errorCode(value)
        case .unknownAttributes(let types):
            for type in types { buffer.writeInteger(type.rawValue) }
        case .passwordAlgorithm(let value):
            algorithm(value)
        case .passwordAlgorithms(let values):
            values.forEach(algorithm)
        case .channelNumber(let value):
            buffer.writeInteger(value.rawValue)
            buffer.writeInteger(UInt16(0))
        case .lifetime(let value):
            buffer.writeInteger(value)
        case .data(let value):
            buffer.writeImmutableBuffer(value)
        case .requestedTransport(let value):
            buffer.writeInteger(value)
            buffer.writeRepeatingByte(0, count: 3)
        case .requestedAddressFamily(let family), .additionalAddressFamily(let family):
            buffer.writeInteger(family.rawValue)
            buffer.writeRepeatingByte(0, count: 3)
        case .evenPort(let reserveNext):
            buffer.writeInteger(reserveNext ? UInt8(0x80) : 0)
        case .reservationToken(let value):
            buffer.writeInteger(value)
        case .dontFragment:
            break
        case .icmp(let value):
            buffer.writeInteger(UInt16(0))
            buffer.writeInteger(value.type)
            buffer.writeInteger(value.code)
            buffer.writeInteger(value.errorData)
        case .unknown(_, let value):
            buffer.writeImmutableBuffer(value)
        }
    }
}
