import NIOCore

/// The address layout shared by MAPPED-ADDRESS and the XOR-* attributes (RFC 8489 §14.1, §14.2).
///
///     0                   1                   2                   3
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |0 0 0 0 0 0 0 0|    Family     |         (X-)Port              |
///     |                 (X-)Address (32 bits or 128 bits)             |
enum AddressCodec {
    /// Decodes a plain or XOR-ed address. RFC 8489 §14.2: the port is XOR-ed with the top 16 bits
    /// of the magic cookie; IPv4 with the cookie; IPv6 with the cookie and the transaction ID.
    static func decode(
        _ value: ByteBuffer, xor: Bool, transactionID: TransactionID, attribute: AttributeType
    ) throws(WireError) -> TransportAddress {
        guard let familyByte = value.getInteger(at: value.readerIndex + 1, as: UInt8.self),
              let rawPort = value.getInteger(at: value.readerIndex + 2, as: UInt16.self) else {
            throw WireError(.invalidAttributeValue, attribute: attribute, "address shorter than 4 bytes")
        }
        guard let family = AddressFamily(rawValue: familyByte) else {
            throw WireError(.invalidAddressFamily, attribute: attribute, "family 0x\(String(familyByte, radix: 16))")
        }
        let port = xor ? rawPort ^ UInt16(STUNMessage.magicCookie >> 16) : rawPort
        switch family {
        case .ipv4:
            guard value.readableBytes == 8,
                  let raw = value.getInteger(at: value.readerIndex + 4, as: UInt32.self) else {
                throw WireError(.invalidAttributeValue, attribute: attribute, "IPv4 address needs 8 bytes")
            }
            let address = xor ? raw ^ STUNMessage.magicCookie : raw
            return TransportAddress(ip: .v4(IPv4Address(rawValue: address)), port: port)
        case .ipv6:
            guard value.readableBytes == 20,
                  let high = value.getInteger(at: value.readerIndex + 4, as: UInt64.self),
                  let low = value.getInteger(at: value.readerIndex + 12, as: UInt64.self) else {
                throw WireError(.invalidAttributeValue, attribute: attribute, "IPv6 address needs 20 bytes")
            }
            var address = UInt128(high) << 64 | UInt128(low)
            if xor { address ^= xorMask(transactionID) }
            return TransportAddress(ip: .v6(IPv6Address(rawValue: address)), port: port)
        }
    }

    static func encode(
        _ address: TransportAddress, xor: Bool, transactionID: TransactionID,
        into buffer: inout ByteBuffer
    ) {
        buffer.writeInteger(UInt8(0))
        buffer.writeInteger(address.family.rawValue)
        buffer.writeInteger(xor ? address.port ^ UInt16(STUNMessage.magicCookie >> 16) : address.port)
        switch address.ip {
        case .v4(let ip):
            buffer.writeInteger(xor ? ip.rawValue ^ STUNMessage.magicCookie : ip.rawValue)
        case .v6(let ip):
            let value = xor ? ip.rawValue ^ xorMask(transactionID) : ip.rawValue
            buffer.writeInteger(UInt64(truncatingIfNeeded: value >> 64))
            buffer.writeInteger(UInt64(truncatingIfNeeded: value))
        }
    }

    static func encodedLength(_ address: TransportAddress) -> Int {
        switch address.family {
        case .ipv4: 8
        case .ipv6: 20
        }
    }

    /// The 128-bit mask for IPv6: magic cookie followed by the transaction ID.
    private static func xorMask(_ id: TransactionID) -> UInt128 {
        UInt128(STUNMessage.magicCookie) << 96 | UInt128(id.high) << 32 | UInt128(id.low)
    }
}
