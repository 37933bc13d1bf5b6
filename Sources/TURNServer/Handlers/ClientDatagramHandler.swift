import NIOCore
import STUNWire
import TURNCore

/// Reads a UDP listener: each datagram goes to the worker's core with its 5-tuple. The
/// listener registers with its worker when it becomes active, so responses find their socket
/// (`descriptor`, which the worker's send queue writes to).
final class ClientDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let worker: RelayWorker
    private let descriptor: CInt
    private var local: TransportAddress?

    init(worker: RelayWorker, descriptor: CInt) {
        self.worker = worker
        self.descriptor = descriptor
    }

    func channelActive(context: ChannelHandlerContext) {
        if let address = context.channel.localAddress, let local = TransportAddress(address) {
            self.local = local
            worker.listenerActive(Outlet(channel: context.channel, local: local, descriptor: descriptor))
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let local, let client = TransportAddress(envelope.remoteAddress) else { return }
        // Source port 0 (RFC 768 allows it for "no reply expected"; spoofable from anywhere): no
        // answer can reach it, so it never reaches the core.
        guard client.port != 0 else {
            worker.counters.sourcePortZero &+= 1
            return
        }
        worker.clientDatagram(envelope.data, from: FiveTuple(client: client, server: local, transport: .udp))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        worker.flushPending()
    }

    /// A read error (an ICMP error queued by an earlier send) must not close the listener.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {}
}
