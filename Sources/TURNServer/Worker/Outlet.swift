import NIOCore
import STUNWire

/// A socket a worker writes to: a UDP listener, a relay socket or a client's stream. Writes are
/// queued during a read batch and flushed once at its end (`RelayWorker.flushPending`); `dirty`
/// keeps an outlet from being queued for flushing twice. Touched only on its worker's loop
/// (hence `@unchecked Sendable`: it crosses into that loop's future callbacks, nowhere else).
final class Outlet: @unchecked Sendable {
    let channel: any Channel
    /// The local address: the listener's, the relayed transport address's, or the stream's.
    let local: TransportAddress
    var dirty = false
    /// Allocations made over this stream connection (RFC 8656 §3.1: they end with it).
    var allocations = 0
    /// A relay socket's DONT-FRAGMENT request (RFC 8656 §14.8), kept to bind it again the same way.
    var dontFragment = false
    /// A stream connection's handler, which keeps its outbound queue (`takesRelayed`).
    var stream: StreamClientHandler?

    init(channel: any Channel, local: TransportAddress) {
        self.channel = channel
        self.local = local
    }
}
