import NIOCore
import STUNWire
import TURNCore

/// A socket a worker writes to: a UDP listener, a relay socket or a client's stream. UDP
/// datagrams go through the worker's `DatagramSendQueue` on `descriptor`; stream writes are
/// queued in NIO and flushed once at the end of a read batch (`RelayWorker.flushPending`),
/// `dirty` keeping an outlet from being queued for flushing twice. Touched only on its
/// worker's loop (hence `@unchecked Sendable`: it crosses into that loop's future callbacks,
/// nowhere else).
final class Outlet: @unchecked Sendable {
    let channel: any Channel
    /// The local address: the listener's, the relayed transport address's, or the stream's.
    let local: TransportAddress
    /// A UDP socket's descriptor (owned by `channel`); -1 for a stream.
    let descriptor: CInt
    var dirty = false
    /// Allocations made over this stream connection (RFC 8656 §3.1: they end with it).
    var allocations = 0
    /// A relay socket's DONT-FRAGMENT request (RFC 8656 §14.8), kept to bind it again the same way.
    var dontFragment = false
    /// A listener closed on purpose to be bound again in order (`TURNServer+ListenerRecovery`).
    var retiring = false
    /// A stream connection's handler, which keeps its outbound queue (`takesRelayed`).
    var stream: StreamClientHandler?

    /// What a listener serves (`.udp` for every datagram socket and for stream connections).
    let transport: ClientTransport

    init(channel: any Channel, local: TransportAddress, descriptor: CInt = -1, transport: ClientTransport = .udp) {
        self.channel = channel
        self.local = local
        self.descriptor = descriptor
        self.transport = transport
    }

    /// A UDP socket, open: datagrams may go out through `descriptor`.
    var acceptsDatagrams: Bool { descriptor >= 0 && channel.isActive }
}
