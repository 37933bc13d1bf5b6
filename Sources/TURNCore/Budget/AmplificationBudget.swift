/// A server-wide (one per core) byte credit for replies to unauthenticated requests, so that
/// spoofing many sources, one request each, cannot make the server send more bytes than it
/// receives. The per-source `ReplyRateLimiter` never sees such a flood: each source asks once.
///
/// The idea is QUIC's anti-amplification limit (RFC 9000 §8.1: at most three times the bytes
/// received from an unvalidated address) applied to the whole core at a factor below one:
/// - every UDP request that reaches request handling earns half its size; the other half when
///   it authenticates (the core decides; see `RelayCore.handleRequest`);
/// - the credit also refills with time at `bytesPerSecond`, so the server stays live;
/// - it is capped at `burst` bytes and starts full;
/// - an unauthenticated reply over UDP (401, 438, 400, 420 before authentication, and the
///   Binding success response, RFC 8489 §6.3.1 and §9.2.4) is sent only when the credit covers
///   its encoded size, which is then spent. TCP and TLS cannot be spoofed and are exempt.
///
/// Under a flood of N request bytes that never authenticate, over t seconds, the unauthenticated
/// reply bytes are at most N/2 + `burst` + `bytesPerSecond`·t: at most the request bytes once the
/// flood is larger than twice the burst and refill. Legitimate traffic keeps the credit up: a
/// client's authenticated request (USERNAME, REALM, NONCE, MESSAGE-INTEGRITY) is larger than the
/// 401 it answered, so it earns back at least what its challenge spent.
///
/// Fixed memory, integer arithmetic, nothing overflows for any input (see `TokenBucket`).
public struct AmplificationBudget: Hashable, Sendable {
    private var credit: TokenBucket

    /// A full budget at `now`.
    public init(bytesPerSecond: UInt64, burst: UInt64, now: Instant) {
        credit = TokenBucket(ratePerSecond: bytesPerSecond, burst: burst, now: now)
    }

    public var bytesPerSecond: UInt64 { credit.ratePerSecond }
    public var burst: UInt64 { credit.burst }
    /// Bytes that may be sent, as of the last call.
    public var available: UInt64 { credit.tokens }

    /// New settings, keeping the credit (up to the new `burst`).
    public mutating func reconfigure(bytesPerSecond: UInt64, burst: UInt64) {
        credit = credit.reconfigured(ratePerSecond: bytesPerSecond, burst: burst)
    }

    /// Credits the `bytes` of a request received at `now` (capped at `burst`).
    public mutating func earn(_ bytes: Int, now: Instant) {
        credit.deposit(UInt64(clamping: bytes), now: now)
    }

    /// Spends `bytes` for a reply at `now` if the credit covers them; false means send nothing
    /// (and nothing is spent).
    public mutating func spend(_ bytes: Int, now: Instant) -> Bool {
        credit.take(UInt64(clamping: bytes), now: now)
    }
}
