import Testing
@testable import STUNWire

/// RFC 8489 §5: the 14-bit type field interleaves method bits M0-M11 with class bits C0, C1
/// (M0-M3, C0, M4-M6, C1, M7-M11 from the least significant bit).
@Suite struct MessageTypeTests {
    /// Hand-computed: for methods below 0x10 the field is the method, plus 0x010 for an
    /// indication, 0x100 for a success response and 0x110 for an error response.
    static let table: [(Method, MessageClass, UInt16)] = [
        (.binding, .request, 0x0001), (.binding, .indication, 0x0011),
        (.binding, .successResponse, 0x0101), (.binding, .errorResponse, 0x0111),
        (.allocate, .request, 0x0003), (.allocate, .indication, 0x0013),
        (.allocate, .successResponse, 0x0103), (.allocate, .errorResponse, 0x0113),
        (.refresh, .request, 0x0004), (.refresh, .indication, 0x0014),
        (.refresh, .successResponse, 0x0104), (.refresh, .errorResponse, 0x0114),
        (.send, .request, 0x0006), (.send, .indication, 0x0016),
        (.send, .successResponse, 0x0106), (.send, .errorResponse, 0x0116),
        (.data, .request, 0x0007), (.data, .indication, 0x0017),
        (.data, .successResponse, 0x0107), (.data, .errorResponse, 0x0117),
        (.createPermission, .request, 0x0008), (.createPermission, .indication, 0x0018),
        (.createPermission, .successResponse, 0x0108), (.createPermission, .errorResponse, 0x0118),
        (.channelBind, .request, 0x0009), (.channelBind, .indication, 0x0019),
        (.channelBind, .successResponse, 0x0109), (.channelBind, .errorResponse, 0x0119),
        // Methods that use the upper bits: M4 lands on bit 5, M7 on bit 9.
        (Method(rawValue: 0x010)!, .request, 0x0020),
        (Method(rawValue: 0x080)!, .request, 0x0200),
        (Method(rawValue: 0xFFF)!, .request, 0x3EEF),
        (Method(rawValue: 0xFFF)!, .errorResponse, 0x3FFF),
    ]

    @Test func wireValuesMatchHandComputedTable() {
        for (method, messageClass, wire) in Self.table {
            let type = MessageType(method, messageClass)
            #expect(type.wireValue == wire, "\(type)")
            #expect(MessageType(wireValue: wire) == type, "0x\(String(wire, radix: 16))")
        }
    }

    @Test func everyFourteenBitValueRoundTrips() {
        for wire in UInt16(0)..<0x4000 {
            #expect(MessageType(wireValue: wire)?.wireValue == wire)
        }
    }

    @Test(arguments: [UInt16(0x4000), 0x8000, 0xC000, 0x4001, 0xFFFF])
    func topBitsSetIsNotAType(_ wire: UInt16) {
        #expect(MessageType(wireValue: wire) == nil)
    }

    @Test func methodIsTwelveBits() {
        #expect(Method(rawValue: 0x1000) == nil)
        #expect(Method(rawValue: 0x0FFF) != nil)
    }
}
