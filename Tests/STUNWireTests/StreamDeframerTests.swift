import NIOCore
import Testing
@testable import STUNWire

/// Splitting a TCP/TLS byte stream (RFC 8656 §12.5): the same frames however the bytes arrive,
/// padding removed, impossible headers rejected before their body is waited for.
@Suite struct StreamDeframerTests {
    /// Mixed STUN messages and padded ChannelData, and the frames they must split into.
    static let (stream, frames): ([UInt8], [StreamFrame]) = {
        var stream: [UInt8] = []
        var frames: [StreamFrame] = []
        func stun(_ attributes: [Attribute], _ options: EncodingOptions = .plain) {
            let message = STUNMessage(type: MessageType(.send, .indication), transactionID: Raw.id, attributes: attributes)
            let bytes = (try? message.encode(options))!.bytes
            stream += bytes
            frames.append(.stun(ByteBuffer(bytes: bytes)))
        }
        func channelData(_ channel: UInt16, _ length: Int) {
            let payload = ByteBuffer(bytes: (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7) })
            let message = ChannelData(channel: ChannelNumber(rawValue: channel), payload: payload)
            var buffer = ByteBuffer()
            message.encode(into: &buffer, padded: true)
            stream += buffer.bytes
            frames.append(.channelData(message))
        }
        stun([])
        channelData(0x4000, 0)
        channelData(0x4001, 1)
        stun([.xorPeerAddress(TransportAddress("192.0.2.1:9")!), .data(ByteBuffer(bytes: [1, 2, 3]))],
             EncodingOptions(fingerprint: true))
        channelData(0x4FFF, 2)
        channelData(0x4ABC, 3)
        channelData(0x4002, 4)
        stun([.software(String(repeating: "x", count: 300))])
        channelData(0x4003, 5)
        channelData(0x4004, 1000)
        stun([.lifetime(0)])
        return (stream, frames)
    }()

    static func chunks(of bytes: [UInt8], sizes: (Int) -> Int) -> [[UInt8]] {
        var result: [[UInt8]] = []
        var index = 0
        while index < bytes.count {
            let end = min(bytes.count, index + max(1, sizes(result.count)))
            result.append(Array(bytes[index..<end]))
            index = end
        }
        return result
    }

    static var chunkings: [(String, [[UInt8]])] {
        var chunkings = [("all at once", [stream]), ("one byte at a time", chunks(of: stream) { _ in 1 })]
        for seed in [UInt64(1), 2, 3, 0xC0FFEE] {
            var rng = SplitMix64(seed: seed)
            chunkings.append(("random chunks, seed \(seed)", chunks(of: stream) { _ in Int.random(in: 1...97, using: &rng) }))
        }
        return chunkings
    }

    @Test func nextFrameGivesTheSameFramesForEveryChunking() throws {
        for (name, chunks) in Self.chunkings {
            let deframer = StreamDeframer()
            var buffer = ByteBuffer()
            var frames: [StreamFrame] = []
            for chunk in chunks {
                buffer.writeBytes(chunk)
                while let frame = try deframer.nextFrame(&buffer) { frames.append(frame) }
            }
            #expect(frames == Self.frames, "\(name)")
            #expect(buffer.readableBytes == 0, "\(name): padding left behind")
        }
    }

    @Test func nioProcessorGivesTheSameFramesForEveryChunking() throws {
        for (name, chunks) in Self.chunkings {
            let processor = NIOSingleStepByteToMessageProcessor(StreamDeframer())
            var frames: [StreamFrame] = []
            for chunk in chunks {
                try processor.process(buffer: ByteBuffer(bytes: chunk)) { frames.append($0) }
            }
            try processor.finishProcessing(seenEOF: true) { frames.append($0) }
            #expect(frames == Self.frames, "\(name)")
        }
    }

    @Test func channelDataPaddingIsRemoved() throws {
        var buffer = ByteBuffer(bytes: [0x40, 0x07, 0x00, 0x01, 0x99, 0xEE, 0xEE, 0xEE] + Raw.message())
        let first = try StreamDeframer().nextFrame(&buffer)
        #expect(first == .channelData(ChannelData(channel: ChannelNumber(rawValue: 0x4007), payload: ByteBuffer(bytes: [0x99]))))
        #expect(try StreamDeframer().nextFrame(&buffer) == .stun(ByteBuffer(bytes: Raw.message())))
    }

    /// Each header is complete after 4 bytes; the deframer must throw then, not wait for the body.
    @Test(arguments: [
        ([UInt8(0x00), 0x01, 0x00, 0x03], WireError.Code.lengthNotMultipleOfFour),
        ([0x00, 0x01, 0x00, 0x06], .lengthNotMultipleOfFour),
        ([0x00, 0x01, 0x01, 0x00], .frameTooLong),  // 20 + 256 > 100
        ([0x40, 0x00, 0x00, 0x61], .frameTooLong),  // 4 + 100 (padded) > 100
        ([0x80], .unrecognizedFrame),
        ([0xC0], .unrecognizedFrame),
        ([0xFF], .unrecognizedFrame),
        ([0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xA4, 0x43], .badMagicCookie),
    ])
    func impossibleHeaderThrowsAtOnce(_ header: [UInt8], _ expected: WireError.Code) {
        let deframer = StreamDeframer(maximumFrameLength: 100)
        var buffer = ByteBuffer(bytes: header)
        #expect(throws: WireError(expected)) { try deframer.nextFrame(&buffer) }

        let processor = NIOSingleStepByteToMessageProcessor(StreamDeframer(maximumFrameLength: 100))
        #expect(throws: WireError(expected)) { try processor.process(buffer: ByteBuffer(bytes: header)) { _ in } }
    }

    @Test func largestFramesFitTheDefaultMaximum() throws {
        let deframer = StreamDeframer()
        var stun = ByteBuffer(bytes: [0x00, 0x01, 0xFF, 0xFC])
        #expect(try deframer.nextFrame(&stun) == nil)
        var channelData = ByteBuffer(bytes: [0x40, 0x00, 0xFF, 0xFF])
        #expect(try deframer.nextFrame(&channelData) == nil)
    }

    @Test func errorAfterGoodFramesComesAfterThem() throws {
        var buffer = ByteBuffer(bytes: Raw.message() + Raw.message(cookie: [0, 0, 0, 0]))
        let deframer = StreamDeframer()
        #expect(try deframer.nextFrame(&buffer) == .stun(ByteBuffer(bytes: Raw.message())))
        #expect(throws: WireError(.badMagicCookie)) { try deframer.nextFrame(&buffer) }
    }

    @Test func incompleteTrailingFrameReturnsNil() throws {
        let deframer = StreamDeframer()
        for partial in [Array(Self.stream.prefix(19)), Array(Raw.message(Raw.attribute(.lifetime, Raw.u32(1))).dropLast()),
                        [0x40, 0x00, 0x00, 0x05, 1, 2, 3, 4, 5, 0, 0], [0x40, 0x00, 0x00], [0x00]] {
            var buffer = ByteBuffer(bytes: partial)
            #expect(try deframer.nextFrame(&buffer) == nil, "\(partial)")
            #expect(buffer.readableBytes == partial.count, "nothing consumed")
        }
        let processor = NIOSingleStepByteToMessageProcessor(StreamDeframer())
        var frames: [StreamFrame] = []
        try processor.process(buffer: ByteBuffer(bytes: Raw.message() + [0x40, 0x00, 0x00, 0x08, 1])) { frames.append($0) }
        try processor.finishProcessing(seenEOF: true) { frames.append($0) }
        #expect(frames == [.stun(ByteBuffer(bytes: Raw.message()))])
    }
}
