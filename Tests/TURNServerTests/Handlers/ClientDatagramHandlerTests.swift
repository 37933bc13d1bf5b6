import Logging
import NIOCore
import NIOEmbedded
import STUNWire
import Testing
import TURNCore
@testable import TURNServer

/// The UDP listener's handler on an `EmbeddedChannel`: datagrams from source port 0 never reach
/// the core (no reply could reach them, and a send to port 0 fails), and are counted.
@Suite struct ClientDatagramHandlerTests {
    /// A Binding request (RFC 8489 §6.1) with a fixed transaction id.
    static func binding() -> ByteBuffer {
        var bytes = ByteBuffer()
        bytes.writeInteger(UInt16(0x0001))
        bytes.writeInteger(UInt16(0))
        bytes.writeInteger(UInt32(0x2112_A442))
        bytes.writeBytes([UInt8](repeating: 9, count: 12))
        return bytes
    }

    @Test func sourcePortZeroIsDroppedBeforeTheCore() throws {
        let channel = EmbeddedChannel()
        let worker = try TestWorker.make(on: channel.eventLoop)
        // Descriptor -1: the listener cannot send, so a reply the core makes is counted as
        // `socket_closed`: that count shows whether the core saw the datagram.
        try channel.pipeline.syncOperations.addHandler(ClientDatagramHandler(worker: worker, descriptor: -1))
        channel.localAddress = try SocketAddress(ipAddress: "127.0.0.1", port: 3478)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.9", port: 1)).wait()

        for _ in 0..<3 {
            try channel.writeInbound(AddressedEnvelope(remoteAddress: try SocketAddress(ipAddress: "127.0.0.5", port: 0), data: Self.binding()))
        }
        #expect(worker.counters.sourcePortZero == 3)
        #expect(worker.sendQueue.failures.isEmpty)

        try channel.writeInbound(AddressedEnvelope(remoteAddress: try SocketAddress(ipAddress: "127.0.0.5", port: 4000), data: Self.binding()))
        #expect(worker.sendQueue.failures == [SendFailureKey(role: .listener, reason: .socketClosed): 1])
        _ = try channel.finish()
    }
}
