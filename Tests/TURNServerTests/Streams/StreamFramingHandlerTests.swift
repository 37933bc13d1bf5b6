import NIOCore
import NIOEmbedded
import STUNWire
import Testing
@testable import TURNServer

/// RFC 8656 §3.1 framing on a connection: frames split from any read pattern, incomplete
/// frames held compactly and charged to the server-wide budget, unframeable streams closed.
@Suite struct StreamFramingHandlerTests {
    /// The framer alone, frames collected as the channel's inbound output.
    static func framer(_ budget: PartialFrameBudget = PartialFrameBudget(), statistics: StreamStatistics = StreamStatistics()) throws
        -> (EmbeddedChannel, StreamFramingHandler) {
        let handler = StreamFramingHandler(budget: budget, statistics: statistics)
        let channel = EmbeddedChannel(handler: handler)
        try channel.connect(to: StreamTestPipeline.client.socketAddress).wait()
        return (channel, handler)
    }

    static func channelData(_ payload: Int) -> ByteBuffer {
        var frame = ByteBuffer()
        ChannelData(channel: ChannelNumber(rawValue: 0x4001), payload: ByteBuffer(repeating: 0x7A, count: payload))
            .encode(into: &frame, padded: true)
        return frame
    }

    static func binding(_ id: UInt32) -> ByteBuffer {
        try! STUNMessage(type: MessageType(.binding, .request), transactionID: TransactionID(high: 1, low: id)).encode()
    }

    @Test(arguments: [1, 3, 7, 64, 1500])
    func framesSplitFromAnyChunking(_ chunk: Int) throws {
        let (channel, handler) = try Self.framer()
        var stream = ByteBuffer()
        var expected: [StreamFrame] = []
        for index in 0..<20 {
            let binding = Self.binding(UInt32(index))
            stream.writeImmutableBuffer(binding)
            expected.append(.stun(binding))
            let data = Self.channelData(index * 37 % 101)
            stream.writeImmutableBuffer(data)
            expected.append(.channelData(ChannelData(channel: ChannelNumber(rawValue: 0x4001), payload: ByteBuffer(repeating: 0x7A, count: index * 37 % 101))))
        }
        while stream.readableBytes > 0 {
            try channel.writeInbound(stream.readSlice(length: min(chunk, stream.readableBytes))!)
        }
        var frames: [StreamFrame] = []
        while let frame = try channel.readInbound(as: StreamFrame.self) { frames.append(frame) }
        #expect(frames == expected)
        #expect(handler.heldBytes == 0)
        _ = try? channel.finish()
    }

    /// The rest of a large read is copied out, so an incomplete frame never pins the read buffer.
    @Test func anIncompleteFrameIsHeldInAStorageOfItsOwnAndCharged() throws {
        let budget = PartialFrameBudget()
        let (channel, handler) = try Self.framer(budget)
        var read = ByteBuffer()
        read.reserveCapacity(65_536)
        read.writeImmutableBuffer(Self.binding(1))
        var next = Self.binding(2)
        read.writeImmutableBuffer(next.readSlice(length: 10)!)
        try channel.writeInbound(read)
        #expect(try channel.readInbound(as: StreamFrame.self) == .stun(Self.binding(1)))
        #expect(handler.heldBytes >= 10 && handler.heldBytes < 64)
        #expect(budget.bytes == handler.heldBytes)
        try channel.writeInbound(next)
        #expect(try channel.readInbound(as: StreamFrame.self) == .stun(Self.binding(2)))
        #expect(handler.heldBytes == 0 && budget.bytes == 0)
        _ = try? channel.finish()
    }

    /// A trickler's incomplete frame beyond the allowance is refused once the server-wide budget
    /// is spent (others hold it), and the connection is closed; holdings within the allowance are
    /// never refused.
    @Test func aConnectionGrowingPastAnExhaustedBudgetIsClosed() throws {
        let budget = PartialFrameBudget(limit: 8192, allowance: 1024)
        let statistics = StreamStatistics()
        #expect(budget.resize(from: 0, to: 8000))
        let (small, smallHandler) = try Self.framer(budget, statistics: statistics)
        var smallFrame = Self.channelData(900)
        try small.writeInbound(smallFrame.readSlice(length: 800)!)
        #expect(small.isActive)

        let (trickler, handler) = try Self.framer(budget, statistics: statistics)
        var large = Self.channelData(60_000)
        var sent = 0
        while trickler.isActive, large.readableBytes > 0 {
            try trickler.writeInbound(large.readSlice(length: 100)!)
            sent += 100
        }
        #expect(!trickler.isActive)
        #expect(sent > 1024 && sent <= 2048)
        #expect(statistics.closes(.partialFrameBudget) == 1)
        #expect(handler.heldBytes == 0)
        // What the closed connection held went back to the budget.
        #expect(smallHandler.heldBytes >= 800 && budget.bytes == 8000 + smallHandler.heldBytes)
        _ = try? small.finish()
        _ = try? trickler.finish()
    }

    @Test func anUnframeableStreamIsClosedAndCounted() throws {
        let statistics = StreamStatistics()
        let (channel, _) = try Self.framer(statistics: statistics)
        try channel.writeInbound(Self.binding(1))
        try channel.writeInbound(ByteBuffer(bytes: [0xC0, 0, 0, 0]))
        #expect(try channel.readInbound(as: StreamFrame.self) == .stun(Self.binding(1)))
        #expect(try channel.readInbound(as: StreamFrame.self) == nil)
        #expect(!channel.isActive)
        #expect(statistics.closes(.unframeable) == 1)
        _ = try? channel.finish()
    }
}
