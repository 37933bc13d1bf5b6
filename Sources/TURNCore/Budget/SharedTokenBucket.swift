import Synchronization

/// A token bucket that several cores (event loops) take from at once: a `CellRate` whose state
/// is one atomic word, updated by compare-and-exchange. No lock, no allocation per take; the
/// data path pays one atomic load and one compare-and-exchange (retried only when another core
/// took in between). Used where a budget must be server-wide but is spent per packet or per
/// request: a user's bandwidth (`RelayConfiguration.bandwidthPerUser`) and a static username's
/// authentication failures (`UsernameFailureBudgets`).
///
/// Each core passes its own `now` from the same monotonic clock; an instant slightly behind
/// another core's is harmless (the TAT never moves back).
public final class SharedTokenBucket: Sendable {
    public let rate: CellRate
    /// The theoretical arrival time (`CellRate`); zero is a full bucket.
    private let tat = Atomic<UInt64>(0)

    /// A full bucket.
    public init(rate: CellRate) {
        self.rate = rate
    }

    /// Takes `units` if that many are available at `now`; takes nothing otherwise.
    public func take(_ units: UInt64 = 1, now: Instant) -> Bool {
        var current = tat.load(ordering: .relaxed)
        while true {
            guard let next = rate.take(units, tat: current, now: now) else { return false }
            let (exchanged, original) = tat.compareExchange(
                expected: current, desired: next, successOrdering: .relaxed, failureOrdering: .relaxed)
            if exchanged { return true }
            current = original
        }
    }

    /// Whole units available at `now`.
    public func available(now: Instant) -> UInt64 {
        rate.available(tat: tat.load(ordering: .relaxed), now: now)
    }
}
