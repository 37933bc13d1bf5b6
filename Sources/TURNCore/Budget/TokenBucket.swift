/// A token bucket: up to `burst` tokens, refilled at `ratePerSecond`, in integer arithmetic.
///
/// Refill is computed from the nanoseconds elapsed since the last call; the fraction of a token
/// earned so far is carried in nanotoken units, so rates that do not divide a second evenly
/// do not drift. Time that goes backwards counts as no time. Nothing overflows for any input.
public struct TokenBucket: Hashable, Sendable {
    public let ratePerSecond: UInt64
    public let burst: UInt64
    /// Whole tokens available now (at `last`).
    public private(set) var tokens: UInt64
    /// Earned fraction of the next token, in units of 1/`nanosecondsPerSecond` token.
    private var fraction: UInt64
    /// The latest instant seen.
    private var last: Instant

    static let nanosecondsPerSecond: UInt64 = 1_000_000_000

    /// A full bucket.
    public init(ratePerSecond: UInt64, burst: UInt64, now: Instant) {
        self.ratePerSecond = ratePerSecond
        self.burst = burst
        tokens = burst
        fraction = 0
        last = now
    }

    /// Takes `tokens` if that many are available at `now`; takes nothing otherwise.
    public mutating func take(_ tokens: UInt64 = 1, now: Instant) -> Bool {
        refill(now: now)
        guard self.tokens >= tokens else { return false }
        self.tokens -= tokens
        return true
    }

    /// Adds `tokens` earned by something other than time (after what the time up to `now`
    /// earned), capped at `burst`. Saturates rather than overflows for any input.
    public mutating func deposit(_ tokens: UInt64, now: Instant) {
        refill(now: now)
        let room = burst - self.tokens
        if tokens >= room {
            self.tokens = burst
            fraction = 0
        } else {
            self.tokens += tokens
        }
    }

    /// The same bucket under new settings: its tokens kept up to the new `burst`, the time since
    /// `last` still to be earned (at the new rate).
    public func reconfigured(ratePerSecond: UInt64, burst: UInt64) -> TokenBucket {
        var bucket = TokenBucket(ratePerSecond: ratePerSecond, burst: burst, now: last)
        bucket.tokens = min(tokens, burst)
        return bucket
    }

    /// Adds what the time since `last` earned, capped at `burst`.
    mutating func refill(now: Instant) {
        guard now > last else { return }
        let elapsed = now.nanoseconds - last.nanoseconds
        last = now
        guard tokens < burst else {
            fraction = 0
            return
        }
        // elapsed * rate < 2^128, and fraction < 10^9: the sum cannot overflow UInt128.
        let earned = UInt128(elapsed) * UInt128(ratePerSecond) + UInt128(fraction)
        let perToken = UInt128(Self.nanosecondsPerSecond)
        let whole = earned / perToken
        let room = UInt128(burst - tokens)
        if whole >= room {
            tokens = burst
            fraction = 0
        } else {
            tokens += UInt64(whole)
            fraction = UInt64(earned % perToken)
        }
    }
}
