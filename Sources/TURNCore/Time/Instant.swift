/// A point on the monotonic clock the shell injects, in nanoseconds from an arbitrary origin.
/// The core never reads a clock: every input carries its `Instant`.
public struct Instant: Hashable, Comparable, Sendable {
    public var nanoseconds: UInt64

    public init(nanoseconds: UInt64) { self.nanoseconds = nanoseconds }

    public static func seconds(_ seconds: UInt64) -> Instant { Instant(nanoseconds: seconds * 1_000_000_000) }

    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    public static func + (lhs: Instant, rhs: Duration) -> Instant {
        Instant(nanoseconds: lhs.nanoseconds &+ rhs.nanosecondsClamped)
    }

    /// The time from `earlier` to `self`, zero if `earlier` is later.
    public func since(_ earlier: Instant) -> Duration {
        nanoseconds > earlier.nanoseconds ? .nanoseconds(Int64(clamping: nanoseconds - earlier.nanoseconds)) : .zero
    }
}

/// Both clocks at one moment: monotonic for lifetimes and budgets, wall clock (Unix seconds) for
/// what is defined in calendar time, such as a shared-secret username's expiry.
public struct Now: Hashable, Sendable {
    public var monotonic: Instant
    public var unixSeconds: UInt64

    public init(monotonic: Instant, unixSeconds: UInt64) {
        self.monotonic = monotonic
        self.unixSeconds = unixSeconds
    }
}

extension Duration {
    /// Whole nanoseconds, clamped to 0...UInt64.max.
    public var nanosecondsClamped: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        let (whole, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : whole &+ UInt64(attoseconds / 1_000_000_000)
    }
}
