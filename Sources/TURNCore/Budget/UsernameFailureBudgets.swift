/// Failed authentications per static username, shared by every core of a server: a username,
/// unlike a source address, reaches any core. Only static users have one (shared-secret
/// usernames are HMACs of a secret, not guessable; an unknown username must not create state),
/// so the table is fixed when built from the configuration and never grows. Immutable apart
/// from the buckets' atomic words, so cores read it without a lock.
///
/// While a username's budget is empty, a request naming it is evaluated only from a source in
/// good standing (`AuthFailureTable.isInGoodStanding`): an attacker gets about one guess per
/// fresh source address per `burst` × `interval`, while the user, from an address that has not
/// failed, still gets in. See docs/hardening.md, "Password guessing".
public final class UsernameFailureBudgets: Sendable {
    /// By username UTF-8 bytes (exact bytes, as `CredentialStore` keys static users).
    private let buckets: [[UInt8]: SharedTokenBucket]
    public let rate: CellRate

    /// A full budget for each of `usernames`; with `previous`, a username it has keeps its
    /// bucket (and what it has spent) when the settings are unchanged, so a reload does not
    /// refill the budget of a username under attack.
    public init(usernames: some Sequence<String>, burst: UInt64, interval: Duration, previous: UsernameFailureBudgets? = nil) {
        let rate = CellRate(interval: interval, burst: burst)
        var buckets: [[UInt8]: SharedTokenBucket] = [:]
        for username in usernames {
            let key = Array(username.utf8)
            if let previous, previous.rate == rate, let kept = previous.buckets[key] {
                buckets[key] = kept
            } else {
                buckets[key] = SharedTokenBucket(rate: rate)
            }
        }
        self.buckets = buckets
        self.rate = rate
    }

    public var count: Int { buckets.count }

    /// The budget of `username`, or nil when it is not a static user.
    public func bucket(for username: String) -> SharedTokenBucket? {
        buckets[Array(username.utf8)]
    }
}
