import NIOCore
import NIOEmbedded
import STUNWire
import Testing
@testable import TURNServer

/// `streams.outbound-queue` on one connection whose client has stopped reading (the socket
/// below the pipeline takes nothing until released): relayed data beyond the bound is dropped
/// and counted, responses never are, reading pauses at the bound, and a queue that stays full
/// without progress closes the connection.
@Suite struct StreamBackpressureTests {
    /// ChannelData of 1000 payload bytes is 1004 bytes on a stream (RFC 8656 §12.5).
    static let frame = 1004

    @Test func relayedDataBeyondTheBoundIsDroppedAndCounted() throws {
        let pipe = try StreamTestPipeline(outboundQueue: 4096)
        for _ in 0..<10 { pipe.relay(1000) }
        // Four frames fit 4096 bytes; the other six were dropped.
        #expect(pipe.handler.queuedBytes == 4 * Self.frame)
        #expect(pipe.socket.heldBytes == 4 * Self.frame)
        #expect(pipe.statistics.packetsDropped == 6)
        #expect(pipe.statistics.bytesDropped == UInt64(6 * Self.frame))
        #expect(pipe.statistics.queuedBytes == 4 * Self.frame)
        #expect(pipe.statistics.peakQueuedBytes == 4 * Self.frame)

        // The socket takes them: the queue empties and relaying resumes.
        pipe.socket.release()
        #expect(pipe.handler.queuedBytes == 0 && pipe.statistics.queuedBytes == 0)
        pipe.relay(1000)
        #expect(pipe.handler.queuedBytes == Self.frame)
        #expect(pipe.statistics.packetsDropped == 6)
        pipe.finish()
    }

    @Test func responsesAreNeverDroppedAndReadingPausesAtTheBound() throws {
        let pipe = try StreamTestPipeline(outboundQueue: 4096)
        for _ in 0..<3 { pipe.relay(1000) }
        pipe.channel.read()
        #expect(pipe.socket.reads == 1)
        // Binding requests keep being answered (32 bytes each), past the bound.
        for _ in 0..<40 { try pipe.receive(pipe.bindingRequest()) }
        let queued = pipe.handler.queuedBytes
        #expect(queued > 4096)
        #expect(pipe.statistics.packetsDropped == 0)
        var written = pipe.socket.bytes
        var responses = 0
        while written.readableBytes > 0 {
            if ChannelData.looksLikeChannelData(written) {
                written.moveReaderIndex(forwardBy: Self.frame)
                continue
            }
            let length = Int(written.getInteger(at: written.readerIndex + 2, as: UInt16.self)!) + 20
            let message = try STUNMessage.decode(written.readSlice(length: length)!).message
            #expect(message.type == MessageType(.binding, .successResponse))
            responses += 1
        }
        #expect(responses == 40)
        // At the bound, the client is not read from until the queue drains below it again.
        pipe.channel.read()
        #expect(pipe.socket.reads == 1)
        // Relayed data still does not fit.
        pipe.relay(10)
        #expect(pipe.statistics.packetsDropped == 1)
        pipe.socket.release()
        #expect(pipe.socket.reads == 2)
        pipe.channel.read()
        #expect(pipe.socket.reads == 3)
        pipe.finish()
    }

    @Test func aFullQueueWithoutProgressForTheStallTimeoutClosesTheConnection() throws {
        let pipe = try StreamTestPipeline(outboundQueue: 4096, stallTimeout: .seconds(30))
        for _ in 0..<5 { pipe.relay(1000) }
        #expect(pipe.statistics.packetsDropped == 1)
        pipe.loop.advanceTime(by: .seconds(29))
        #expect(pipe.isOpen)
        pipe.loop.advanceTime(by: .seconds(1))
        #expect(!pipe.isOpen)
        #expect(pipe.statistics.closes(.outboundStalled) == 1)
        // What was queued is no longer counted once the connection is gone.
        #expect(pipe.statistics.queuedBytes == 0)
        pipe.finish()
    }

    /// A client that stops reading while little is queued (below the bound) has stalled as
    /// much as one with a full queue.
    @Test func bytesWaitingBelowTheBoundWithoutProgressAlsoStall() throws {
        let pipe = try StreamTestPipeline(outboundQueue: 4096, stallTimeout: .seconds(30))
        pipe.relay(1000)
        #expect(pipe.statistics.packetsDropped == 0)
        pipe.loop.advanceTime(by: .seconds(29))
        #expect(pipe.isOpen)
        pipe.loop.advanceTime(by: .seconds(1))
        #expect(!pipe.isOpen)
        #expect(pipe.statistics.closes(.outboundStalled) == 1)
        pipe.finish()
    }

    /// Nothing waiting, nothing to stall: a quiet connection is the idle timer's business.
    @Test func anEmptyQueueNeverStalls() throws {
        let pipe = try StreamTestPipeline(outboundQueue: 4096, stallTimeout: .seconds(30))
        pipe.relay(1000)
        pipe.socket.release()
        pipe.loop.advanceTime(by: .seconds(300))
        #expect(pipe.isOpen)
        pipe.finish()
    }

    @Test func progressRestartsTheStallClock() throws {
        let pipe = try StreamTestPipeline(outboundQueue: 4096, stallTimeout: .seconds(30))
        for _ in 0..<5 { pipe.relay(1000) }
        pipe.loop.advanceTime(by: .seconds(20))
        // The client read one frame's worth; the queue refills at once.
        pipe.socket.release(1)
        pipe.relay(1000)
        pipe.relay(1000)
        #expect(pipe.statistics.packetsDropped == 2)
        pipe.loop.advanceTime(by: .seconds(20))
        #expect(pipe.isOpen)
        pipe.loop.advanceTime(by: .seconds(10))
        #expect(!pipe.isOpen)
        #expect(pipe.statistics.closes(.outboundStalled) == 1)
        pipe.finish()
    }

    @Test func aClientThatKeepsReadingIsNeverClosed() throws {
        let pipe = try StreamTestPipeline(outboundQueue: 4096, stallTimeout: .seconds(30))
        for _ in 0..<100 {
            for _ in 0..<5 { pipe.relay(1000) }
            pipe.loop.advanceTime(by: .seconds(10))
            pipe.socket.release()
        }
        #expect(pipe.isOpen)
        #expect(pipe.statistics.closes(.outboundStalled) == 0)
        #expect(pipe.statistics.packetsDropped == 100)
        pipe.finish()
    }

    /// A batch larger than one completion step is reported written in steps, so a client
    /// reading slowly through a large queue shows progress before the whole batch is out.
    @Test func largeBatchesDrainInSteps() throws {
        let step = StreamClientHandler.completionStep
        let pipe = try StreamTestPipeline(outboundQueue: 4 * step)
        for _ in 0..<(3 * step / Self.frame) {
            pipe.worker.sendToStream(pipe.fiveTuple, ByteBuffer(repeating: 0x40, count: Self.frame), relayed: true)
        }
        pipe.worker.flushPending()
        let queued = pipe.handler.queuedBytes
        let writes = pipe.socket.heldWrites
        pipe.socket.release(writes / 2)
        #expect(pipe.handler.queuedBytes < queued && pipe.handler.queuedBytes > 0)
        pipe.socket.release()
        #expect(pipe.handler.queuedBytes == 0)
        pipe.finish()
    }
}
