import NIOCore
import Testing
@testable import STUNWire

/// The decoded form of a message stays within a fixed multiple of the input: no attribute count
/// or length field can make the decoder allocate more than the cap allows.
@Suite struct AttributeCountLimitTests {
    private func message(emptyAttributes count: Int) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt16(0x0001))
        buffer.writeInteger(UInt16(count * 4))
        buffer.writeInteger(STUNMessage.magicCookie)
        buffer.writeRepeatingByte(7, count: 12)
        for _ in 0..<count {
            buffer.writeInteger(UInt16(0x8FFF))  // unknown, comprehension-optional
            buffer.writeInteger(UInt16(0))
        }
        return buffer
    }

    @Test func atTheCapDecodes() throws {
        let decoded = try STUNMessage.decode(message(emptyAttributes: STUNMessage.maximumAttributes))
        #expect(decoded.message.attributes.count == STUNMessage.maximumAttributes)
    }

    @Test func pastTheCapIsRejected() {
        #expect(throws: WireError(.tooManyAttributes)) {
            try STUNMessage.decode(message(emptyAttributes: STUNMessage.maximumAttributes + 1))
        }
        #expect(throws: WireError(.tooManyAttributes)) {
            try STUNMessage.decode(message(emptyAttributes: 16_000))
        }
    }
}
