import NIOCore

/// The bytes a TCP/TLS client connection has been handed and its socket has not taken yet
/// (`streams.outbound-queue`), and whether the connection is stuck. Pure bookkeeping, driven by
/// `StreamClientHandler`: counted from the write until the write completes (for TLS, until the
/// record carrying it was written), so what the TLS layer and the channel buffer is included.
///
/// Relayed data is taken only while it fits (an empty queue takes any one frame, so a small
/// bound never starves a large datagram); the rest is dropped by the caller, as a congested UDP
/// path would lose it (RFC 8656 relays unreliable datagrams; a stream client gets no promise
/// of delivery either). Responses are always taken, so the queue may go past the bound.
///
/// The queue is full once relayed data was refused or it reached the bound. It stops being full
/// when a write completes and it is below the bound again; a write that completes while it is
/// still at or above the bound only restarts the clock. A queue full for `stallTimeout` with
/// nothing written meanwhile is stalled: its client has stopped reading.
struct StreamOutboundQueue {
    /// How long a full queue may go without a byte leaving before the connection is closed:
    /// long enough for a client on a lossy path to ride out TCP retransmission backoff, short
    /// enough that a client that stopped reading lets go of its connection (and allocation).
    static let stallTimeout: TimeAmount = .seconds(30)

    enum Change: Equatable {
        case none
        /// Became full: stop reading from the client, watch for a stall.
        case full
        /// Below the bound again after being full: read from the client again.
        case drained
    }

    let limit: Int
    private(set) var bytes = 0
    /// When it became full (or last made progress while full); nil while not full.
    private(set) var fullSince: NIODeadline?

    init(limit: Int) {
        self.limit = limit
    }

    var isFull: Bool { fullSince != nil }

    /// Whether relayed data of `size` bytes fits.
    func admits(_ size: Int) -> Bool {
        bytes == 0 || bytes + size <= limit
    }

    /// `size` bytes were handed to the connection.
    mutating func added(_ size: Int, now: NIODeadline) -> Change {
        bytes += size
        guard bytes >= limit, fullSince == nil else { return .none }
        fullSince = now
        return .full
    }

    /// Relayed data did not fit and was dropped.
    mutating func refused(now: NIODeadline) -> Change {
        guard fullSince == nil else { return .none }
        fullSince = now
        return .full
    }

    /// `size` bytes were written to the socket (or discarded by a close).
    mutating func written(_ size: Int, now: NIODeadline) -> Change {
        bytes = max(0, bytes - size)
        guard fullSince != nil else { return .none }
        guard bytes < limit else {
            fullSince = now
            return .none
        }
        fullSince = nil
        return .drained
    }

    /// When the connection counts as stalled if nothing is written before; nil while not full.
    func stallDeadline(after timeout: TimeAmount) -> NIODeadline? {
        fullSince.map { $0 + timeout }
    }
}
