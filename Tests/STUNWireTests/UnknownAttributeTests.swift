import NIOCore
import Testing
@testable import STUNWire

/// RFC 8489 §7.3.1, §14: unknown comprehension-required types (0x0000-0x7FFF) are reported for a
/// 420; unknown comprehension-optional ones (0x8000-0xFFFF) are kept but not reported.
@Suite struct UnknownAttributeTests {
    @Test func onlyComprehensionRequiredUnknownsAreReported() throws {
        let bytes = Raw.message(
            Raw.attribute(AttributeType(rawValue: 0x0024), Raw.u32(7)),  // ICE PRIORITY
            Raw.attribute(AttributeType(rawValue: 0x8029), [UInt8](repeating: 1, count: 8)),  // ICE-CONTROLLED
            Raw.attribute(.lifetime, Raw.u32(60)),
            Raw.attribute(AttributeType(rawValue: 0x7FFF), []),
            Raw.attribute(AttributeType(rawValue: 0x0003), [1, 2, 3]))  // CHANGE-REQUEST is not known
        let message = try STUNMessage.decode(ByteBuffer(bytes: bytes)).message
        #expect(message.unknownComprehensionRequired == [
            AttributeType(rawValue: 0x0024), AttributeType(rawValue: 0x7FFF), AttributeType(rawValue: 0x0003),
        ])
        #expect(message.first(AttributeType(rawValue: 0x8029)) == .unknown(AttributeType(rawValue: 0x8029), ByteBuffer(bytes: [UInt8](repeating: 1, count: 8))))
        #expect(message.lifetime == 60)
    }

    /// The known types are exactly the IANA values of RFC 8489 §18.3 and RFC 8656 §18.
    @Test func knownTypesAndRanges() {
        let required: Set<UInt16> = [
            0x0001, 0x0006, 0x0008, 0x0009, 0x000A, 0x0014, 0x0015, 0x001C, 0x001D, 0x001E, 0x0020,
            0x000C, 0x000D, 0x0012, 0x0013, 0x0016, 0x0017, 0x0018, 0x0019, 0x001A, 0x0022,
        ]
        let optional: Set<UInt16> = [0x8002, 0x8003, 0x8022, 0x8023, 0x8028, 0x8000, 0x8001, 0x8004]
        #expect(Set(AttributeType.known.filter(\.isComprehensionRequired).map(\.rawValue)) == required)
        #expect(Set(AttributeType.known.filter { !$0.isComprehensionRequired }.map(\.rawValue)) == optional)
        #expect(AttributeType(rawValue: 0x7FFF).isComprehensionRequired)
        #expect(!AttributeType(rawValue: 0x8000).isComprehensionRequired)
    }

    @Test func unknownAttributesValueRoundTrips() throws {
        let list = [AttributeType(rawValue: 0x0024), AttributeType(rawValue: 0x7FFF), AttributeType(rawValue: 0x001F)]
        let message = STUNMessage(type: MessageType(.binding, .errorResponse), transactionID: Raw.id,
                                  attributes: [.errorCode(.unknownAttribute), .unknownAttributes(list)])
        let encoded = try message.encode()
        // Three types are 6 bytes, padded normally (not by repeating the last, RFC 8489 §14.13).
        #expect(Array(encoded.bytes.suffix(12)) == Raw.attribute(.unknownAttributes, [0x00, 0x24, 0x7F, 0xFF, 0x00, 0x1F]))
        #expect(try STUNMessage.decode(encoded).message == message)
    }
}
