import Synchronization

/// The server-wide bound on bytes held by TCP/TLS connections for frames not yet complete
/// (`StreamFramingHandler`). RFC 8656 §3.1 frames can announce 64 KiB, and a client decides
/// how slowly the rest arrives: without a bound, a few thousand connections trickling a byte a
/// second could each pin 64 KiB. Every held byte is counted; a connection may always hold up to
/// `allowance` (enough for any STUN message a client sends, and ChannelData carrying a
/// full-size Ethernet datagram), and beyond that only while the total stays within `limit`.
/// So legitimate traffic, whose frames arrive whole or nearly so, is never refused, and what a
/// trickler holds beyond the allowance is capped for all of them together.
final class PartialFrameBudget: Sendable {
    /// 16 MiB: 256 connections each holding a frame of the largest size, or 4,000 holding 4 KiB.
    static let defaultLimit = 16 << 20
    /// Held by any one connection without asking the budget.
    static let allowance = 4 << 10

    let limit: Int
    let allowance: Int
    private let held = Atomic<Int>(0)

    init(limit: Int = PartialFrameBudget.defaultLimit, allowance: Int = PartialFrameBudget.allowance) {
        self.limit = limit
        self.allowance = allowance
    }

    /// Moves one connection's holding from `current` to `wanted` bytes. Growing past the
    /// allowance while the server-wide total would exceed `limit` is refused (false) and
    /// nothing changes; shrinking always succeeds.
    func resize(from current: Int, to wanted: Int) -> Bool {
        let delta = wanted - current
        guard delta != 0 else { return true }
        let total = held.add(delta, ordering: .relaxed).newValue
        if delta > 0, wanted > allowance, total > limit {
            held.subtract(delta, ordering: .relaxed)
            return false
        }
        return true
    }

    /// Bytes held now over all connections.
    var bytes: Int { held.load(ordering: .relaxed) }
}
