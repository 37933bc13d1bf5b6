import NIOCore

/// Splits a TCP/TLS byte stream into STUN messages and ChannelData (RFC 8656 §3.1, §12.5).
///
/// The first two bits of each frame tell the two apart (00: STUN, 01: ChannelData). A frame is
/// returned only once all of it has arrived; a header that cannot start a valid frame, or that
/// announces more than `maximumFrameLength`, throws at once, before its body is buffered, and the
/// connection should then be closed since the stream can no longer be framed.
public struct StreamDeframer: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = StreamFrame

    /// RFC 8656 §3.1: the largest frame either kind can announce is 65535 + its header.
    public static let defaultMaximumFrameLength = 20 + STUNMessage.maximumBodyLength

    public let maximumFrameLength: Int

    public init(maximumFrameLength: Int = StreamDeframer.defaultMaximumFrameLength) {
        self.maximumFrameLength = maximumFrameLength
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> StreamFrame? {
        try nextFrame(&buffer)
    }

    /// At end of stream an incomplete frame is discarded.
    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> StreamFrame? {
        try nextFrame(&buffer)
    }

    /// The typed-throws core of `decode`, usable without NIO's decoder machinery.
    public func nextFrame(_ buffer: inout ByteBuffer) throws(WireError) -> StreamFrame? {
        guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return nil }
        switch first & 0xC0 {
        case 0x00:
            return try nextSTUN(&buffer)
        case 0x40:
            return try nextChannelData(&buffer)
        default:
            throw WireError(.unrecognizedFrame, "first byte 0x\(String(first, radix: 16))")
        }
    }

    private func nextSTUN(_ buffer: inout ByteBuffer) throws(WireError) -> StreamFrame? {
        let start = buffer.readerIndex
        if let cookie = buffer.getInteger(at: start + 4, as: UInt32.self), cookie != STUNMessage.magicCookie {
            throw WireError(.badMagicCookie)
        }
        guard let length = buffer.getInteger(at: start + 2, as: UInt16.self) else { return nil }
        guard length % 4 == 0 else { throw WireError(.lengthNotMultipleOfFour, "length \(length)") }
        let frameLength = STUNMessage.headerLength + Int(length)
        guard frameLength <= maximumFrameLength else {
            throw WireError(.frameTooLong, "STUN message of \(frameLength) bytes")
        }
        guard buffer.readableBytes >= frameLength,
              buffer.getInteger(at: start + 4, as: UInt32.self) != nil else { return nil }
        return .stun(buffer.readSlice(length: frameLength)!)
    }

    private func nextChannelData(_ buffer: inout ByteBuffer) throws(WireError) -> StreamFrame? {
        let start = buffer.readerIndex
        guard let number = buffer.getInteger(at: start, as: UInt16.self) else { return nil }
        let channel = ChannelNumber(rawValue: number)
        guard channel.isValid else { throw WireError(.invalidChannelNumber, "\(channel)") }
        guard let length = buffer.getInteger(at: start + 2, as: UInt16.self) else { return nil }
        let paddedLength = (Int(length) + 3) & ~3
        let frameLength = ChannelData.headerLength + paddedLength
        guard frameLength <= maximumFrameLength else {
            throw WireError(.frameTooLong, "ChannelData of \(frameLength) bytes")
        }
        guard buffer.readableBytes >= frameLength else { return nil }
        buffer.moveReaderIndex(forwardBy: ChannelData.headerLength)
        let payload = buffer.readSlice(length: Int(length))!
        buffer.moveReaderIndex(forwardBy: paddedLength - Int(length))
        return .channelData(ChannelData(channel: channel, payload: payload))
    }
}
