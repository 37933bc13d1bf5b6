import NIOCore
import Testing
@testable import STUNWire

/// ChannelData over UDP (RFC 8656 §12.4, §12.5): padding optional on receipt, payload not copied.
@Suite struct ChannelDataTests {
    static let payload: [UInt8] = [0xDE, 0xAD, 0xBE, 0xEF, 0x42]

    @Test(arguments: 0...3)
    func paddingUpToThreeBytesIsAccepted(padding: Int) throws {
        let datagram = ByteBuffer(bytes: [0x40, 0x01, 0x00, 0x05] + Self.payload + [UInt8](repeating: 0xAA, count: padding))
        let decoded = try ChannelData.decode(datagram: datagram)
        #expect(decoded.channel == ChannelNumber(rawValue: 0x4001))
        #expect(decoded.payload.bytes == Self.payload)
    }

    @Test func payloadIsASliceOfTheDatagram() throws {
        var datagram = ByteBuffer(bytes: [0xFF, 0xFF] + [0x4F, 0xFF, 0x00, 0x05] + Self.payload)
        datagram.moveReaderIndex(forwardBy: 2)  // a datagram that does not start at index 0
        let decoded = try ChannelData.decode(datagram: datagram)
        #expect(decoded.channel == ChannelNumber(rawValue: 0x4FFF))
        #expect(decoded.payload.bytes == Self.payload)
        let datagramStart = datagram.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        let payloadStart = decoded.payload.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        #expect(payloadStart == datagramStart + UInt(ChannelData.headerLength))
    }

    @Test func emptyPayloadIsValid() throws {
        let decoded = try ChannelData.decode(datagram: ByteBuffer(bytes: [0x40, 0x00, 0x00, 0x00]))
        #expect(decoded.payload.readableBytes == 0)
    }

    @Test(arguments: [0, 1, 2, 3, 4, 5, 8])
    func encodes(length: Int) throws {
        let payload = (0..<length).map { UInt8($0 + 1) }
        let message = ChannelData(channel: ChannelNumber(rawValue: 0x4ABC), payload: ByteBuffer(bytes: payload))
        let header: [UInt8] = [0x4A, 0xBC, 0x00, UInt8(length)]

        var unpadded = ByteBuffer()
        message.encode(into: &unpadded, padded: false)
        #expect(unpadded.bytes == header + payload)

        var padded = ByteBuffer()
        message.encode(into: &padded, padded: true)
        #expect(padded.bytes == header + payload + [UInt8](repeating: 0, count: (4 - length % 4) % 4))
        #expect(padded.readableBytes % 4 == 0)

        #expect(try ChannelData.decode(datagram: unpadded) == message)
        #expect(try ChannelData.decode(datagram: padded) == message)
    }

    @Test func demultiplexing() {
        #expect(ChannelData.looksLikeChannelData(ByteBuffer(bytes: [0x40])))
        #expect(ChannelData.looksLikeChannelData(ByteBuffer(bytes: [0x7F])))
        #expect(!ChannelData.looksLikeChannelData(ByteBuffer(bytes: [0x00])))
        #expect(!ChannelData.looksLikeChannelData(ByteBuffer(bytes: [0x80])))
        #expect(!ChannelData.looksLikeChannelData(ByteBuffer()))
        #expect(STUNMessage.looksLikeSTUN(ByteBuffer(bytes: Raw.message())))
        #expect(!STUNMessage.looksLikeSTUN(ByteBuffer(bytes: Raw.message(cookie: [0, 0, 0, 0]))))
    }
}
