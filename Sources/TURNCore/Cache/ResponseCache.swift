import NIOCore
import STUNWire

/// Responses to recent authenticated requests, so a retransmission gets the identical bytes and
/// no second side effect (RFC 8489 §6.3.1, RFC 8656 §7.2). Bounded in time and in count; entries
/// leave in insertion order, which is time order because time only moves forward.
struct ResponseCache: Sendable {
    struct Key: Hashable, Sendable {
        var fiveTuple: FiveTuple
        var transactionID: TransactionID
    }

    private struct Stamp: Sendable {
        var key: Key
        var inserted: Instant
    }

    private var responses: [Key: ByteBuffer] = [:]
    private var order: [Stamp] = []
    private var head = 0
    let window: Duration
    let capacity: Int

    init(window: Duration, capacity: Int) {
        self.window = window
        self.capacity = max(1, capacity)
    }

    var count: Int { responses.count }

    func response(for key: Key) -> ByteBuffer? { responses[key] }

    mutating func insert(_ response: ByteBuffer, for key: Key, now: Instant) {
        expire(now: now)
        if responses.updateValue(response, forKey: key) == nil {
            order.append(Stamp(key: key, inserted: now))
        }
        while responses.count > capacity { evictOldest() }
    }

    /// Drops what is older than the window.
    mutating func expire(now: Instant) {
        while head < order.count, now.since(order[head].inserted) >= window { evictOldest() }
    }

    /// When the oldest entry leaves the window, if any.
    var nextExpiry: Instant? {
        head < order.count ? order[head].inserted + window : nil
    }

    private mutating func evictOldest() {
        guard head < order.count else { return }
        responses[order[head].key] = nil
        head += 1
        if head > 64, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }
}
