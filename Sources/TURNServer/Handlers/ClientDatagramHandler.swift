import NIOCore
import STUNWire
import TURNCore

/// Reads a UDP listener: each datagram goes to the worker's core with its 5-tuple. The
/// listener registers with its worker when it becomes active, so responses find their socket.
final class ClientDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let worker: RelayWorker
    private var local: TransportAddress?

    init(worker: RelayWorker) {
        self.worker = worker
    }

    func channelActive(context: ChannelHandlerContext) {
        if let address = context.channel.localAddress, let local = TransportAddress(address) {
            self.local = local
            worker.datagramListeners.append(Outlet(channel: context.channel, local: local))
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let local, let client = TransportAddress(envelope.remoteAddress) else { return }
        worker.clientDatagram(envelope.data, from: FiveTuple(client: client, server: local, transport: .udp))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        worker.flushPending()
    }

    /// An ICMP error from an earlier send (a client gone away) must not close the listener.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {}
}
