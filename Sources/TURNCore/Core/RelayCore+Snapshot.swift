import STUNWire

/// Read-only views for the admin API and metrics. The shell calls these on the core's own event
/// loop; the results are values that can leave it.
extension RelayCore {
    /// Every allocation, oldest first. Work proportional to the allocations (an operator query,
    /// never the data path).
    public func allocationSnapshots(now: Instant) -> [AllocationSnapshot] {
        allocations.values.sorted { $0.id < $1.id }.map { $0.snapshot(at: now, traffic: meter($0.id, now)) }
    }

    public func allocationSnapshot(_ id: AllocationID, now: Instant) -> AllocationSnapshot? {
        allocations[id]?.snapshot(at: now, traffic: meter(id, now))
    }

    /// The allocations whose quota identity (or full USERNAME) is `user`.
    public func allocationIDs(user: String) -> [AllocationID] {
        allocations.values.filter { $0.user == user || $0.username == user }.map(\.id).sorted()
    }

    /// Whether `fiveTuple` holds an allocation (RFC 8656 §2.2: one per 5-tuple). The shell keeps
    /// per-destination state only for such clients, never for a source that has not authenticated.
    public func hasAllocation(_ fiveTuple: FiveTuple) -> Bool {
        allocationByTuple[fiveTuple] != nil
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
        statistics.tables = tableSizes
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

extension RelayCore {
    /// Entries per table; see `CoreStatistics.tables`.
    var tableSizes: [String: Int] {
        [
            "allocations": allocations.count, "allocation_tuples": allocationByTuple.count,
            "allocation_relays": allocationByRelay.count, "pending_allocations": pending.count,
            "pending_tuples": pendingByTuple.count, "reservations": reservations.count,
            "ports_in_use": portsInUse.count, "users": users.count, "bandwidth_budgets": allocationBandwidth.count,
            "traffic_meters": allocationTraffic.count, "timers": timers.count, "cached_responses": responseCache.count,
        ]
    }

    /// An allocation's traffic meter; a fresh one if it has none (it always has one while it lives).
    func meter(_ id: AllocationID, _ now: Instant) -> TrafficMeter {
        allocationTraffic[id] ?? TrafficMeter(now: now)
    }
}
