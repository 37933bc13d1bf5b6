import NIOCore
import Testing
@testable import STUNWire

/// RFC 8489 §14: padding "MUST be ignored by the receiver", whatever its value; the same holds
/// inside PASSWORD-ALGORITHM(S) (§14.11, §14.12).
@Suite struct PaddingTests {
    @Test(arguments: [UInt8(0x00), 0x20, 0xA5, 0xFF])
    func attributePaddingOfAnyValueIsIgnored(_ pad: UInt8) throws {
        let bytes = Raw.message(
            Raw.attribute(.username, Array("abc".utf8), pad: pad),
            Raw.attribute(.evenPort, [0x80], pad: pad),
            Raw.attribute(.data, [1, 2, 3, 4, 5], pad: pad))
        let message = try STUNMessage.decode(ByteBuffer(bytes: bytes)).message
        #expect(message.username == "abc")
        #expect(message.evenPort == true)
        #expect(message.data == ByteBuffer(bytes: [1, 2, 3, 4, 5]))
    }

    @Test(arguments: [UInt8(0x00), 0xFF])
    func passwordAlgorithmPaddingIsIgnored(_ pad: UInt8) throws {
        let value: [UInt8] = [0x00, 0x02, 0x00, 0x01, 0x09, pad, pad, pad, 0x00, 0x01, 0x00, 0x00]
        let message = try STUNMessage.decode(ByteBuffer(bytes: Raw.message(Raw.attribute(.passwordAlgorithms, value)))).message
        #expect(message.passwordAlgorithms == [PasswordAlgorithm(number: 2, parameters: [9]), .md5])
    }

    /// The encoder pads with the byte asked for, and the RESERVED bits of EVEN-PORT stay zero.
    @Test func encoderPadsWithTheChosenByte() throws {
        let message = STUNMessage(type: MessageType(.allocate, .request), transactionID: Raw.id,
                                  attributes: [.evenPort(reserveNext: true)])
        #expect(try message.encode(EncodingOptions(padding: 0x20)).bytes
            == Raw.message(type: 0x0003, body: Raw.attribute(.evenPort, [0x80], pad: 0x20)))
    }
}
