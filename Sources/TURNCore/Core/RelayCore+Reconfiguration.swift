extension RelayCore {
    /// Switches to a reloaded configuration (SIGHUP) without touching any allocation: users,
    /// secrets, nonce key, peer policy, quotas, lifetimes for new grants and the rest take effect
    /// for the next request. The relay addresses and port range stay as they are (the relay
    /// ports already bound belong to them), and so does `draining`. The reply budget restarts
    /// only if its parameters changed.
    public mutating func reconfigure(_ next: RelayConfiguration) {
        var applied = next
        applied.relayAddresses = configuration.relayAddresses
        applied.portRange = configuration.portRange
        applied.draining = configuration.draining
        let limiterChanged = applied.unauthenticatedRepliesPerSecond != configuration.unauthenticatedRepliesPerSecond
            || applied.unauthenticatedReplyBurst != configuration.unauthenticatedReplyBurst
            || applied.unauthenticatedReplySlots != configuration.unauthenticatedReplySlots
        configuration = applied
        if limiterChanged {
            replyLimiter = ReplyRateLimiter(
                ratePerSecond: applied.unauthenticatedRepliesPerSecond,
                burst: applied.unauthenticatedReplyBurst,
                slots: applied.unauthenticatedReplySlots,
                seed: random.next())
        }
    }

    /// Whether `drainActions` has anything to return. The shell asks this on the hot path, where
    /// calling `drainActions` for nothing would copy the empty action buffer.
    public var hasPendingActions: Bool { !actions.isEmpty }
}
