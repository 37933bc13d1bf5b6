import STUNWire

extension RelayCore {
    /// RFC 8656 §8.2 (and RFC 6156 §5.2 as folded into it).
    mutating func handleRefresh(
        _ message: STUNMessage, _ request: AuthenticatedRequest, from fiveTuple: FiveTuple, now: Now
    ) -> RequestOutcome {
        // §8.2: a Refresh needs an allocation on this 5-tuple (437).
        guard let id = allocationByTuple[fiveTuple], let allocation = allocations[id] else {
            return .failure(.allocationMismatch)
        }
        // §8.2: REQUESTED-ADDRESS-FAMILY picks one family of the allocation; 443 if it has none.
        let family = message.requestedAddressFamily
        if let family, allocation.relay(for: family) == nil {
            return .failure(.peerAddressFamilyMismatch)
        }
        // §8.2: a LIFETIME of 0 deletes the allocation (or, with a family of a dual allocation,
        // that family's relayed address).
        if message.lifetime == 0 {
            if let family, allocation.relays.count > 1 {
                removeRelay(family: family, from: id)
            } else {
                deleteAllocation(id, reason: .refreshedToZero)
            }
            return .success([.lifetime(0)])
        }
        let lifetime = grantedLifetime(requested: message.lifetime, credentialExpiry: allocation.credentialExpiry, now: now)
        let expiry = now.monotonic + .seconds(Int64(lifetime))
        allocations[id]?.relays = allocation.relays.map { relay in
            guard family == nil || relay.address.family == family else { return relay }
            return Allocation.Relay(address: relay.address, expiry: expiry)
        }
        // A shorter lifetime needs an earlier timer; a longer one re-arms when the old one fires.
        if let earliest = allocations[id]?.earliestRelayExpiry, earliest < allocation.timerDeadline {
            allocations[id]?.timerDeadline = earliest
            timers.schedule(.allocation(id), at: earliest)
        }
        return .success([.lifetime(lifetime)])
    }

    /// Drops one family of a dual allocation: its channels' routes, then its port.
    mutating func removeRelay(family: AddressFamily, from id: AllocationID) {
        guard let allocation = allocations[id], let relay = allocation.relay(for: family) else { return }
        for (number, binding) in allocation.channels where binding.peer.family == family && binding.routeInstalled {
            if let route = allocation.route(for: number, binding: binding) {
                actions.append(.removeChannelRoute(route))
            }
            allocations[id]?.channels[number]?.routeInstalled = false
        }
        allocations[id]?.relays.removeAll { $0.address.family == family }
        allocationByRelay[relay.key] = nil
        portsInUse.remove(relay.key)
        actions.append(.closeRelayPort(relay.local))
    }

    /// Ends an allocation: fast-path routes first, then relay ports, then the bookkeeping.
    mutating func deleteAllocation(_ id: AllocationID, reason: AllocationEndReason) {
        guard let allocation = allocations.removeValue(forKey: id) else { return }
        allocationByTuple[allocation.fiveTuple] = nil
        allocationBandwidth[id] = nil
        let usage = allocationTraffic.removeValue(forKey: id)?.counters ?? TrafficCounters()
        for (number, binding) in allocation.channels.sorted(by: { $0.key < $1.key }) where binding.routeInstalled {
            if let route = allocation.route(for: number, binding: binding) {
                actions.append(.removeChannelRoute(route))
            }
        }
        for relay in allocation.relays {
            allocationByRelay[relay.address.key] = nil
            portsInUse.remove(relay.address.key)
            actions.append(.closeRelayPort(relay.address.local))
        }
        releaseQuota(allocation.user)
        emit(.allocationDeleted(id, reason: reason, usage: usage))
        compactTimersIfNeeded()
    }

    /// A deletion leaves the allocation's timer entries behind (lazy invalidation); bound them.
    mutating func compactTimersIfNeeded() {
        guard timers.wantsCompaction else { return }
        timers.compact { kind in
            switch kind {
            case .allocation(let id), .permission(let id, _), .channel(let id, _): allocations[id] != nil
            case .reservation(let token): reservations[token] != nil
            }
        }
    }

    /// The operator deletes an allocation (admin API). Returns whether it existed.
    @discardableResult
    public mutating func deleteAllocation(_ id: AllocationID, now: Now) -> Bool {
        guard allocations[id] != nil else { return false }
        deleteAllocation(id, reason: .administrative)
        return true
    }

    /// The shell saw a TCP or TLS client connection close: RFC 8656 §3.1 ties the allocation to
    /// the connection, so it ends now; an Allocate still waiting for its port is forgotten (its
    /// port is released when the shell's answer arrives).
    public mutating func clientConnectionClosed(_ fiveTuple: FiveTuple, now: Now) {
        if let id = allocationByTuple[fiveTuple] {
            deleteAllocation(id, reason: .connectionClosed)
        }
        if let requestID = pendingByTuple.removeValue(forKey: fiveTuple) {
            pending[requestID]?.abandoned = true
        }
    }
}
