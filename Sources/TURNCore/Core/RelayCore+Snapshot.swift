import STUNWire

/// Read-only views for the admin API and metrics. The shell calls these on the core's own event
/// loop; the results are values that can leave it.
extension RelayCore {
    /// Every allocation, oldest first. Work proportional to the allocations (an operator query,
    /// never the data path).
    public func allocationSnapshots(now: Instant) -> [AllocationSnapshot] {
        allocations.values.sorted { $0.id < $1.id }.map { $0.snapshot(at: now) }
    }

    public func allocationSnapshot(_ id: AllocationID, now: Instant) -> AllocationSnapshot? {
        allocations[id]?.snapshot(at: now)
    }

    /// The allocations whose quota identity (or full USERNAME) is `user`.
    public func allocationIDs(user: String) -> [AllocationID] {
        allocations.values.filter { $0.user == user || $0.username == user }.map(\.id).sorted()
    }

    public func statistics(now: Instant) -> CoreStatistics {
        var statistics = CoreStatistics()
        statistics.traffic = traffic
        statistics.drops = drops
        for allocation in allocations.values {
            let family = AllocationSnapshot.familyLabel(allocation.relays.map(\.address.family))
            statistics.allocations[CoreStatistics.AllocationKind(family: family, transport: allocation.fiveTuple.transport), default: 0] += 1
            statistics.permissions += allocation.permissions.values.count { $0.isActive(at: now) }
            statistics.channels += allocation.channels.values.count { $0.isBound(at: now) }
        }
        return statistics
    }

    /// The operator ends an allocation: the same actions as expiry (relay ports closed, channel
    /// routes removed) and an `allocationDeleted` event with `reason`. Returns whether it existed.
    @discardableResult
    public mutating func deleteAllocation(_ id: AllocationID, reason: AllocationEndReason, now: Now) -> Bool {
        guard allocations[id] != nil else { return false }
        deleteAllocation(id, reason: reason)
        return true
    }
}
