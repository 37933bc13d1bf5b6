import NIOConcurrencyHelpers
import Synchronization

/// Server-wide counts of the TCP/TLS pipeline, bumped by every loop's connections and read at
/// scrape time (`/metrics`, `turnpike stats`): relaxed atomics for what changes per packet, a
/// lock for the closes (at most one per connection).
final class StreamStatistics: Sendable {
    private let closed = NIOLockedValueBox<[StreamCloseReason: UInt64]>([:])
    private let droppedPackets = Atomic<UInt64>(0)
    private let droppedBytes = Atomic<UInt64>(0)
    private let queued = Atomic<Int>(0)
    private let peakQueued = Atomic<Int>(0)

    func count(_ reason: StreamCloseReason) {
        closed.withLockedValue { $0[reason, default: 0] &+= 1 }
    }

    func closes(_ reason: StreamCloseReason) -> UInt64 {
        closed.withLockedValue { $0[reason, default: 0] }
    }

    /// Relayed data (ChannelData, a Data indication) a full outbound queue refused.
    func dropped(bytes: Int) {
        droppedPackets.add(1, ordering: .relaxed)
        droppedBytes.add(UInt64(bytes), ordering: .relaxed)
    }

    var packetsDropped: UInt64 { droppedPackets.load(ordering: .relaxed) }
    var bytesDropped: UInt64 { droppedBytes.load(ordering: .relaxed) }

    /// A connection's outbound queue grew by `bytes` to `connectionTotal`.
    func queued(_ bytes: Int, connectionTotal: Int) {
        queued.add(bytes, ordering: .relaxed)
        var peak = peakQueued.load(ordering: .relaxed)
        while connectionTotal > peak {
            let (exchanged, original) = peakQueued.compareExchange(
                expected: peak, desired: connectionTotal, ordering: .relaxed)
            if exchanged { break }
            peak = original
        }
    }

    /// `bytes` left a connection's outbound queue (written to its socket, or discarded at close).
    func dequeued(_ bytes: Int) {
        queued.subtract(bytes, ordering: .relaxed)
    }

    /// Bytes waiting in all outbound queues now.
    var queuedBytes: Int { queued.load(ordering: .relaxed) }

    /// The most any one connection's outbound queue has held since the server started.
    var peakQueuedBytes: Int { peakQueued.load(ordering: .relaxed) }
}
