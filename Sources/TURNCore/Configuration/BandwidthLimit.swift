/// A byte budget: a token bucket of `burstBytes` refilled at `bytesPerSecond`.
public struct BandwidthLimit: Hashable, Sendable {
    public var bytesPerSecond: UInt64
    public var burstBytes: UInt64

    public init(bytesPerSecond: UInt64, burstBytes: UInt64) {
        self.bytesPerSecond = bytesPerSecond
        self.burstBytes = burstBytes
    }

    func bucket(now: Instant) -> TokenBucket {
        TokenBucket(ratePerSecond: bytesPerSecond, burst: burstBytes, now: now)
    }

    /// The same budget as a `CellRate`, for a bucket several cores share (`SharedTokenBucket`).
    public var cellRate: CellRate {
        CellRate(unitsPerSecond: bytesPerSecond, burst: burstBytes)
    }
}
