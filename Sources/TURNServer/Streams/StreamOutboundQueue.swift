import NIOCore

/// The bytes a TCP/TLS client connection has been handed and its socket has not taken yet
/// (`streams.outbound-queue`), and whether the connection is stuck. Pure bookkeeping, driven by
/// `StreamClientHandler` with the loop's time: counted from the write until the write completes
/// (for TLS, until the record carrying it was written), so what the TLS layer and the channel
/// buffer is included. Bytes wait here only once the kernel's socket buffer is full.
///
/// Relayed data is taken only while it fits (an empty queue takes any one frame, so a small
/// bound never starves a large datagram); the rest is dropped by the caller, as a congested UDP
/// path would lose it (RFC 8656 relays unreliable datagrams; a stream client gets no promise of
/// delivery either). Responses are always taken, so the queue may go past the bound; while it is
/// at or above the bound the client is not read from.
///
/// A queue whose bytes have waited `stallTimeout` with none written meanwhile is stalled: its
/// client has stopped reading (its socket took nothing for that long).
struct StreamOutboundQueue {
    /// How long bytes may wait without any being written before the connection is closed: long
    /// enough for a client on a lossy path to ride out TCP retransmission backoff, short enough
    /// that a client that stopped reading lets go of its connection (and allocation).
    static let stallTimeout: TimeAmount = .seconds(30)

    enum Change: Equatable {
        case none
        /// Reached the bound: stop reading from the client.
        case reachedBound
        /// Below the bound again: read from the client again.
        case belowBound
    }

    let limit: Int
    private(set) var bytes = 0
    /// Since when bytes have waited with none written; nil while empty.
    private(set) var waitingSince: NIODeadline?

    init(limit: Int) {
        self.limit = limit
    }

    var isAtBound: Bool { bytes >= limit }

    /// Whether relayed data of `size` bytes fits.
    func admits(_ size: Int) -> Bool {
        bytes == 0 || bytes + size <= limit
    }

    /// `size` bytes were handed to the connection.
    mutating func added(_ size: Int, now: NIODeadline) -> Change {
        let wasBelow = bytes < limit
        if bytes == 0, size > 0 { waitingSince = now }
        bytes += size
        return wasBelow && bytes >= limit ? .reachedBound : .none
    }

    /// `size` bytes were written to the socket (or discarded by a close): progress.
    mutating func written(_ size: Int, now: NIODeadline) -> Change {
        let wasAtBound = bytes >= limit
        bytes = max(0, bytes - size)
        waitingSince = bytes > 0 ? now : nil
        return wasAtBound && bytes < limit ? .belowBound : .none
    }

    /// When the connection counts as stalled if nothing is written before; nil while empty.
    func stallDeadline(after timeout: TimeAmount) -> NIODeadline? {
        waitingSince.map { $0 + timeout }
    }
}
