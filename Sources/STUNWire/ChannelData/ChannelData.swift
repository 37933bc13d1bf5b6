import NIOCore

/// A ChannelData message: channel number, length, application data (RFC 8656 §12.4).
///
///     0                   1                   2                   3
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |         Channel Number        |            Length             |
///     /                       Application Data                        /
public struct ChannelData: Hashable, Sendable {
    public var channel: ChannelNumber
    public var payload: ByteBuffer

    public init(channel: ChannelNumber, payload: ByteBuffer) {
        self.channel = channel
        self.payload = payload
    }

    public static let headerLength = 4

    /// RFC 7983 / RFC 8656 §12: the first byte of ChannelData is 64-79 (top bits 01, and a
    /// valid channel is 0x4000-0x7FFF, see `ChannelNumber.validRange`).
    public static func looksLikeChannelData(_ bytes: ByteBuffer) -> Bool {
        guard let first = bytes.getInteger(at: bytes.readerIndex, as: UInt8.self) else { return false }
        return first & 0xC0 == 0x40
    }

    /// Decodes ChannelData that fills a UDP datagram. RFC 8656 §12.5: padding is optional over
    /// UDP, so up to three bytes past the data are accepted as padding; a length running past
    /// the datagram, or more trailing bytes than padding can explain, is rejected.
    /// The payload is a slice of `datagram`: nothing is copied or allocated.
    public static func decode(datagram: ByteBuffer) throws(WireError) -> ChannelData {
        guard let number = datagram.getInteger(at: datagram.readerIndex, as: UInt16.self),
              let length = datagram.getInteger(at: datagram.readerIndex + 2, as: UInt16.self) else {
            throw WireError(.channelDataTruncated, "\(datagram.readableBytes) bytes")
        }
        let channel = ChannelNumber(rawValue: number)
        guard channel.isValid else { throw WireError(.invalidChannelNumber, "\(channel)") }
        let available = datagram.readableBytes - headerLength
        guard Int(length) <= available, available - Int(length) <= 3 else {
            throw WireError(.channelDataLengthMismatch, "length \(length), \(available) bytes follow")
        }
        let payload = datagram.getSlice(at: datagram.readerIndex + headerLength, length: Int(length))!
        return ChannelData(channel: channel, payload: payload)
    }

    /// Writes the message; over TCP and TLS it must be padded to a multiple of 4 (RFC 8656 §12.5).
    public func encode(into buffer: inout ByteBuffer, padded: Bool) {
        precondition(payload.readableBytes <= Int(UInt16.max), "ChannelData payload over 65535 bytes")
        buffer.writeInteger(channel.rawValue)
        buffer.writeInteger(UInt16(payload.readableBytes))
        buffer.writeImmutableBuffer(payload)
        if padded {
            buffer.writeRepeatingByte(0, count: (4 - payload.readableBytes % 4) % 4)
        }
    }
}
