import NIOCore
import NIOPosix
import STUNWire
import TURNClient
@testable import TURNServer

/// A plain UDP socket playing a TURN peer (RFC 8656 §2): what the relay sends it arrives in
/// `received`; it answers from the same socket.
final class TestPeer: Sendable {
    struct Datagram: Sendable {
        var from: TransportAddress
        var payload: ByteBuffer
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let mailbox: Mailbox<Datagram>
        init(mailbox: Mailbox<Datagram>) { self.mailbox = mailbox }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            if let from = TransportAddress(envelope.remoteAddress) { mailbox.put(Datagram(from: from, payload: envelope.data)) }
        }
    }

    let channel: any Channel
    let received: Mailbox<Datagram>
    let address: TransportAddress

    init(group: any EventLoopGroup, host: String) async throws {
        let loop = group.next()
        let mailbox = Mailbox<Datagram>(loop: loop)
        channel = try await DatagramBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Handler(mailbox: mailbox)) }
            }
            .bind(host: host, port: 0).get()
        received = mailbox
        address = TransportAddress(channel.localAddress!)!
    }

    func send(_ text: String, to destination: TransportAddress) async throws {
        let envelope = AddressedEnvelope(remoteAddress: destination.socketAddress, data: ByteBuffer(string: text))
        try await channel.writeAndFlush(envelope).get()
    }

    func close() async {
        try? await channel.close()
    }
}
