import STUNWire

/// A per-source budget for the replies an unauthenticated request can draw (401 and 438,
/// RFC 8489 §9.2.4), so the server cannot be used to reflect traffic at a spoofed address.
///
/// Memory is fixed at init: a table of `slots` token buckets, a source's bucket chosen by
/// `SourceHash` (keyed from `seed`; an IPv6 source by its /64). Sources that collide share a
/// budget, which errs on the side of fewer replies.
public struct ReplyRateLimiter: Sendable {
    private var buckets: [TokenBucket]
    private let hash: SourceHash

    /// `slots` below 1 is treated as 1.
    public init(ratePerSecond: UInt64, burst: UInt64, slots: Int = 4096, seed: UInt64) {
        // A bucket that starts full at time zero is full at any later time, so no `now` is needed.
        buckets = Array(
            repeating: TokenBucket(ratePerSecond: ratePerSecond, burst: burst, now: Instant(nanoseconds: 0)),
            count: max(1, slots))
        hash = SourceHash(seed: seed)
    }

    /// New settings, each slot keeping its replies (up to the new `burst`).
    public mutating func reconfigure(ratePerSecond: UInt64, burst: UInt64) {
        for index in buckets.indices {
            buckets[index] = buckets[index].reconfigured(ratePerSecond: ratePerSecond, burst: burst)
        }
    }

    /// Takes one reply from `source`'s budget; false means send nothing.
    public mutating func allow(_ source: IPAddress, now: Instant) -> Bool {
        let slot = slot(for: source)
        return buckets[slot].take(now: now)
    }

    /// The table index for `source`.
    func slot(for source: IPAddress) -> Int {
        hash.slot(for: source, count: buckets.count)
    }
}
