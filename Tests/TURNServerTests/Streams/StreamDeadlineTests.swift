import NIOCore
import NIOEmbedded
import NIOTLS
import STUNWire
import Testing
@testable import TURNServer

/// `streams.handshake-timeout`: a connection must finish its TLS handshake and deliver its first
/// complete STUN message within it, counted apart.
@Suite struct StreamDeadlineTests {
    @Test func aConnectionWithoutACompleteMessageIsClosedAtTheDeadline() throws {
        let pipe = try StreamTestPipeline(handshakeTimeout: .seconds(10))
        // Half a Binding request, then nothing more.
        var request = pipe.bindingRequest()
        try pipe.receive(request.readSlice(length: 12)!)
        pipe.loop.advanceTime(by: .seconds(9))
        #expect(pipe.isOpen)
        pipe.loop.advanceTime(by: .seconds(1))
        #expect(!pipe.isOpen)
        #expect(pipe.statistics.closes(.firstMessageTimeout) == 1)
        #expect(pipe.statistics.closes(.handshakeTimeout) == 0)
        pipe.finish()
    }

    @Test func aCompleteSTUNMessageInTimeKeepsTheConnection() throws {
        let pipe = try StreamTestPipeline(handshakeTimeout: .seconds(10))
        pipe.loop.advanceTime(by: .seconds(9))
        try pipe.receive(pipe.bindingRequest())
        // The client reads its response.
        #expect(pipe.socket.heldWrites == 1)
        pipe.socket.release()
        pipe.loop.advanceTime(by: .seconds(60))
        #expect(pipe.isOpen)
        #expect(pipe.statistics.closes(.firstMessageTimeout) == 0)
        pipe.finish()
    }

    /// ChannelData before any STUN message cannot belong to an allocation (RFC 8656 §12.6): it
    /// does not count as the first message.
    @Test func channelDataDoesNotCountAsTheFirstMessage() throws {
        let pipe = try StreamTestPipeline(handshakeTimeout: .seconds(10))
        var frame = ByteBuffer()
        ChannelData(channel: ChannelNumber(rawValue: 0x4000), payload: ByteBuffer(string: "early")).encode(into: &frame, padded: true)
        try pipe.receive(frame)
        pipe.loop.advanceTime(by: .seconds(10))
        #expect(!pipe.isOpen)
        #expect(pipe.statistics.closes(.firstMessageTimeout) == 1)
        pipe.finish()
    }

    @Test func aTLSConnectionWithoutAHandshakeIsClosedAsHandshakeTimeout() throws {
        let pipe = try StreamTestPipeline(transport: .tls, handshakeTimeout: .seconds(10))
        pipe.loop.advanceTime(by: .seconds(10))
        #expect(!pipe.isOpen)
        #expect(pipe.statistics.closes(.handshakeTimeout) == 1)
        #expect(pipe.statistics.closes(.firstMessageTimeout) == 0)
        pipe.finish()
    }

    @Test func aTLSConnectionThatFinishedItsHandshakeButSentNothingIsAFirstMessageTimeout() throws {
        let pipe = try StreamTestPipeline(transport: .tls, handshakeTimeout: .seconds(10))
        pipe.loop.advanceTime(by: .seconds(3))
        pipe.channel.pipeline.fireUserInboundEventTriggered(TLSUserEvent.handshakeCompleted(negotiatedProtocol: nil))
        pipe.loop.advanceTime(by: .seconds(7))
        #expect(!pipe.isOpen)
        #expect(pipe.statistics.closes(.firstMessageTimeout) == 1)
        #expect(pipe.statistics.closes(.handshakeTimeout) == 0)
        pipe.finish()
    }
}
