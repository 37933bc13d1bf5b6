import NIOCore
import STUNWire

/// Reads a relay socket: every datagram from a peer goes to the worker's core with the
/// relayed transport address it arrived on (RFC 8656 §11.3).
final class PeerDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let worker: RelayWorker
    private let relayed: TransportAddress

    init(worker: RelayWorker, relayed: TransportAddress) {
        self.worker = worker
        self.relayed = relayed
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let peer = TransportAddress(envelope.remoteAddress) else { return }
        // No permission can name port 0, but the datagram must not reach the core to find out.
        guard peer.port != 0 else {
            worker.counters.sourcePortZero &+= 1
            return
        }
        worker.peerDatagram(envelope.data, from: peer, to: relayed)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        worker.flushPending()
    }

    /// ICMP errors reported on the socket (port unreachable after a send) are not fatal.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {}
}
