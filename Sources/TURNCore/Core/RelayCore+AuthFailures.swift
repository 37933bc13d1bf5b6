import STUNWire

/// Slowing online password guessing (RFC 8489 §9.2 leaves it to the server; docs/hardening.md,
/// "Password guessing"). A failure is a request with a valid nonce (so from a source that
/// receives our replies) whose username or key does not verify. After a burst of them:
/// - a source (IPv4 address, IPv6 /64) has no further request evaluated until its budget
///   refills (`AuthFailureTable`, per core: a source always reaches the same core);
/// - a static username whose budget is empty (`UsernameFailureBudgets`, server-wide) is
///   evaluated only for sources in good standing, so its user, from an address that has not
///   failed, still gets in.
/// A request that is not evaluated is dropped and counted: with the right password too, or the
/// limit would mean nothing.
extension RelayCore {
    /// Why a request naming `username` (nil when its USERHASH matches no user) from `fiveTuple`
    /// must not be evaluated now, or nil when it may.
    ///
    /// A request on an allocation's own 5-tuple with the allocation's username is always
    /// evaluated: only its owner can send from that transport address, and it already holds the
    /// key, so nothing is guessed; this keeps the allocations of the other users behind a NAT
    /// alive (Refresh, CreatePermission, ChannelBind) while someone there fails.
    func authFailureLimit(username: String?, from fiveTuple: FiveTuple, now: Now) -> DropReason? {
        if let username, usernameOwning(fiveTuple) == username { return nil }
        let source = fiveTuple.client.ip
        guard authFailures.allowsEvaluation(source, now: now.monotonic) else { return .authSourceLimited }
        if let username, let budget = usernameFailures.bucket(for: username), budget.available(now: now.monotonic) == 0,
           !authFailures.isInGoodStanding(source, now: now.monotonic) {
            return .authUsernameLimited
        }
        return nil
    }

    /// Counts a failed authentication against the source and, for a static user, the username.
    mutating func recordAuthFailure(username: String?, from fiveTuple: FiveTuple, now: Now) {
        authFailures.recordFailure(fiveTuple.client.ip, now: now.monotonic)
        if let username, let budget = usernameFailures.bucket(for: username) {
            _ = budget.take(now: now.monotonic)
        }
    }

    /// The username budgets to use with `configuration`: the server's shared ones, or this
    /// core's own for its static users (keeping what `previous` spent on a username it keeps).
    static func usernameFailures(for configuration: RelayConfiguration, previous: UsernameFailureBudgets?) -> UsernameFailureBudgets {
        configuration.usernameFailureBudgets ?? UsernameFailureBudgets(
            usernames: configuration.credentials.staticUsernames, burst: configuration.authFailureBurst,
            interval: configuration.authFailureInterval, previous: previous)
    }
}
