/// A token bucket kept as one number: the generic cell rate algorithm (GCRA, ITU-T I.371
/// "virtual scheduling"). The state is the theoretical arrival time (TAT), in nanoseconds on the
/// injected monotonic clock, at which the bucket would be full again; zero (or anything in the
/// past) is a full bucket. Taking `n` units moves the TAT `cost(n)` later, and is refused when
/// that would put it more than `window` (the whole burst's cost) ahead of now.
///
/// One `UInt64` per bucket is what makes the two users of this cheap: a fixed table of failure
/// budgets costs eight bytes a slot (`AuthFailureTable`), and a budget shared by every core is a
/// single atomic word updated by compare-and-exchange (`SharedTokenBucket`), no lock.
///
/// Costs are rounded up to whole nanoseconds, so a rate above 10^9 units a second loses
/// precision (a take of n > 0 units costs at least 1 ns); nothing overflows for any input.
public struct CellRate: Hashable, Sendable {
    /// `cost(n) = ceil(n · numerator / denominator)` nanoseconds.
    private let numerator: UInt64
    private let denominator: UInt64
    /// The cost of the whole burst: how far ahead of now the TAT may run.
    public let window: UInt64
    public let burst: UInt64

    static let nanosecondsPerSecond: UInt64 = 1_000_000_000

    /// `unitsPerSecond` (at least 1) refilled continuously, up to `burst` units.
    public init(unitsPerSecond: UInt64, burst: UInt64) {
        self.init(numerator: Self.nanosecondsPerSecond, denominator: max(1, unitsPerSecond), burst: burst)
    }

    /// One unit refilled every `interval` (at least 1 ns), up to `burst` units.
    public init(interval: Duration, burst: UInt64) {
        self.init(numerator: max(1, interval.nanosecondsClamped), denominator: 1, burst: burst)
    }

    private init(numerator: UInt64, denominator: UInt64, burst: UInt64) {
        self.numerator = numerator
        self.denominator = denominator
        self.burst = burst
        window = Self.ceilingProduct(burst, numerator, denominator)
    }

    /// Nanoseconds `units` cost, saturating.
    public func cost(_ units: UInt64) -> UInt64 {
        Self.ceilingProduct(units, numerator, denominator)
    }

    /// The TAT after taking `units` at `now`, or nil when the bucket holds fewer (nothing taken).
    public func take(_ units: UInt64, tat: UInt64, now: Instant) -> UInt64? {
        let start = max(tat, now.nanoseconds)
        let (next, overflow) = start.addingReportingOverflow(cost(units))
        guard !overflow, next - now.nanoseconds <= window else { return nil }
        return next
    }

    /// Whole units available at `now`.
    public func available(tat: UInt64, now: Instant) -> UInt64 {
        let ahead = tat > now.nanoseconds ? tat - now.nanoseconds : 0
        guard ahead < window else { return 0 }
        return UInt64(clamping: UInt128(window - ahead) * UInt128(denominator) / UInt128(numerator))
    }

    /// Whether the bucket has been full for at least `span` at `now`: no unit was taken in that
    /// time (taking a unit moves the TAT past the moment it was taken).
    public func hasBeenFull(for span: UInt64, tat: UInt64, now: Instant) -> Bool {
        let (since, overflow) = tat.addingReportingOverflow(span)
        return !overflow && since <= now.nanoseconds
    }

    private static func ceilingProduct(_ a: UInt64, _ b: UInt64, _ divisor: UInt64) -> UInt64 {
        let product = UInt128(a) * UInt128(b)
        let divisor = UInt128(divisor)
        return UInt64(clamping: (product + divisor - 1) / divisor)
    }
}
