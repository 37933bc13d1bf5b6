import NIOCore
import Testing
@testable import STUNWire

/// RFC 8489 §14.1, §14.2 address layouts checked byte for byte against values computed by hand
/// (transaction ID 01 02 .. 0C from `Raw`).
@Suite struct XORAddressTests {
    static let v4 = TransportAddress("203.0.113.5:3478")!
    static let v6 = TransportAddress("[2001:db8::1]:5349")!

    /// Port 0x0D96 ^ 0x2112 = 0x2C84; CB007105 ^ 2112A442 = EA12D547.
    static let xorV4 = hexBytes("0001 2c84 ea12d547")
    /// Port 0x14E5 ^ 0x2112 = 0x35F7; the address XOR-ed with the cookie then the transaction ID.
    static let xorV6 = hexBytes("0002 35f7 0113a9fa 01020304 05060708 090a0b0d")

    @Test(arguments: [
        (Attribute.xorPeerAddress(v4), AttributeType.xorPeerAddress, xorV4),
        (.xorMappedAddress(v6), .xorMappedAddress, xorV6),
        (.xorRelayedAddress(v4), .xorRelayedAddress, xorV4),
        (.mappedAddress(v4), .mappedAddress, hexBytes("0001 0d96 cb007105")),
        (.alternateServer(v6), .alternateServer, hexBytes("0002 14e5 20010db8 00000000 00000000 00000001")),
    ])
    func layout(_ attribute: Attribute, type: AttributeType, value: [UInt8]) throws {
        let message = STUNMessage(type: MessageType(.createPermission, .request), transactionID: Raw.id, attributes: [attribute])
        let encoded = try message.encode()
        #expect(encoded.bytes == Raw.message(type: 0x0008, body: Raw.attribute(type, value)))
        #expect(try STUNMessage.decode(encoded).message.attributes == [attribute])
    }

    /// The first byte is reserved: sent as zero, ignored on receipt (RFC 8489 §14.1).
    @Test func reservedByteIsIgnored() throws {
        var value = Self.xorV4
        value[0] = 0xFF
        let decoded = try STUNMessage.decode(ByteBuffer(bytes: Raw.message(Raw.attribute(.xorPeerAddress, value))))
        #expect(decoded.message.xorPeerAddresses == [Self.v4])
    }
}
