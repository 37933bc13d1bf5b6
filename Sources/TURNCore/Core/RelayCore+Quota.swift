import STUNWire

extension RelayCore {
    /// RFC 8656 §7.2: whether `units` more would exceed the user's allocation quota (486) or the
    /// allocation limit (508) in this core. Nothing is taken; `acquireQuota` takes them.
    func quotaRefusal(_ user: String, units: Int) -> ErrorCode? {
        if (users[user]?.held ?? 0) + units > configuration.allocationsPerUser { return .allocationQuotaReached }
        if heldUnits + units > configuration.maximumAllocations { return .insufficientCapacity }
        return nil
    }

    /// Takes `units` of `user`'s quota in this core and, when injected, in the server-wide
    /// `SharedQuota`; or takes nothing and returns the error to answer (486 or 508). Each
    /// allocation, pending Allocate and reserved port holds one until `releaseQuota`.
    mutating func acquireQuota(_ user: String, units: Int) -> ErrorCode? {
        if let refused = quotaRefusal(user, units: units) { return refused }
        if let refusal = configuration.sharedQuota?.acquire(user: user, count: units) { return refusal.errorCode }
        users[user, default: UserUsage(held: 0, bandwidth: nil)].held += units
        heldUnits += units
        return nil
    }

    /// Gives back `units` taken with `acquireQuota`; the user's entry (and its byte budget) goes
    /// with its last unit.
    mutating func releaseQuota(_ user: String, units: Int = 1) {
        guard let usage = users[user] else { return }
        let released = min(units, usage.held)
        configuration.sharedQuota?.release(user: user, count: released)
        heldUnits -= released
        if usage.held <= released {
            users[user] = nil
        } else {
            users[user]?.held -= released
        }
    }

    /// The byte budgets a new allocation of `user` is charged to, or nil when neither
    /// `bandwidthPerAllocation` nor `bandwidthPerUser` is set. The user's budget is the one its
    /// other allocations here use; the first takes it from the `SharedQuota` (server-wide), or
    /// makes one for this core alone.
    mutating func bandwidthBudget(for user: String, now: Instant) -> BandwidthBudget? {
        let own = configuration.bandwidthPerAllocation?.bucket(now: now)
        var shared: SharedTokenBucket?
        if let limit = configuration.bandwidthPerUser {
            if let existing = users[user]?.bandwidth {
                shared = existing
            } else {
                let bucket = configuration.sharedQuota?.bandwidth(user: user, limit: limit) ?? SharedTokenBucket(rate: limit.cellRate)
                users[user]?.bandwidth = bucket
                shared = bucket
            }
        }
        guard own != nil || shared != nil else { return nil }
        return BandwidthBudget(allocation: own, user: shared)
    }
}
