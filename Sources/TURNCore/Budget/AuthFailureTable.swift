import STUNWire

/// Failed authentications per source address, to slow online password guessing (RFC 8489 §9.2
/// leaves it to the server; see docs/hardening.md, "Password guessing"). One core's table: a
/// client's address always reaches the same core (the shell's SO_REUSEPORT steering).
///
/// Memory is fixed at init: `slots` failure budgets of eight bytes each (`CellRate` arrival
/// times), a source's slot chosen by `SourceHash` (an IPv6 source by its /64). Nothing is stored
/// per source, so a flood of sources grows nothing. Sources that collide share a budget, which
/// errs on the side of fewer guesses.
///
/// A budget holds `burst` failures and regains one every `interval`:
/// - a source whose budget is empty has no request evaluated (`allowsEvaluation`);
/// - a source is in good standing when its budget has no failure counted in the last
///   `burst` × `interval` (`isInGoodStanding`), the test a username under attack applies
///   (`UsernameFailureBudgets`).
public struct AuthFailureTable: Sendable {
    private var slots: [UInt64]
    public private(set) var rate: CellRate
    private let hash: SourceHash

    /// `slots` below 1 is treated as 1; every budget starts full.
    public init(burst: UInt64, interval: Duration, slots: Int, seed: UInt64) {
        self.slots = Array(repeating: 0, count: max(1, slots))
        rate = CellRate(interval: interval, burst: burst)
        hash = SourceHash(seed: seed)
    }

    public var slotCount: Int { slots.count }

    /// New settings, keeping what each slot has spent (as arrival times, in the new units).
    public mutating func reconfigure(burst: UInt64, interval: Duration) {
        rate = CellRate(interval: interval, burst: burst)
    }

    /// Whether `source` may have a request's credentials checked at `now`: its budget holds at
    /// least one failure.
    public func allowsEvaluation(_ source: IPAddress, now: Instant) -> Bool {
        rate.available(tat: slots[slot(for: source)], now: now) >= 1
    }

    /// No failure counted for `source` in the last `burst` × `interval`: a bucket that has been
    /// full for (`burst` − 1) intervals last took a unit at least `burst` intervals ago.
    public func isInGoodStanding(_ source: IPAddress, now: Instant) -> Bool {
        let (span, overflow) = rate.window.subtractingReportingOverflow(rate.cost(1))
        return rate.hasBeenFull(for: overflow ? 0 : span, tat: slots[slot(for: source)], now: now)
    }

    /// Counts one failed authentication for `source` (nothing more once its budget is empty).
    public mutating func recordFailure(_ source: IPAddress, now: Instant) {
        let index = slot(for: source)
        if let next = rate.take(1, tat: slots[index], now: now) {
            slots[index] = next
        }
    }

    func slot(for source: IPAddress) -> Int {
        hash.slot(for: source, count: slots.count)
    }
}
