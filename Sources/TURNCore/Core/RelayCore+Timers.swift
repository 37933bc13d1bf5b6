import STUNWire

extension RelayCore {
    /// Fires every timer due at `now` (RFC 8656 §7, §9, §12 lifetimes; §7.2 reservations) and
    /// ages the retransmission cache. Work is proportional to what is due, never to what exists.
    public mutating func handleTimeout(now: Now) {
        responseCache.expire(now: now.monotonic)
        while let entry = timers.popDue(now: now.monotonic) {
            switch entry.kind {
            case .allocation(let id):
                allocationTimerFired(id, deadline: entry.deadline, now: now.monotonic)
            case .permission(let id, let ip):
                permissionTimerFired(id, ip, deadline: entry.deadline, now: now.monotonic)
            case .channel(let id, let number):
                channelTimerFired(id, number, deadline: entry.deadline, now: now.monotonic)
            case .reservation(let token):
                reservationTimerFired(token, now: now.monotonic)
            }
        }
    }

    private mutating func allocationTimerFired(_ id: AllocationID, deadline: Instant, now: Instant) {
        guard let allocation = allocations[id], allocation.timerDeadline == deadline else { return }
        if now >= allocation.expiry {
            deleteAllocation(id, reason: .expired)
            return
        }
        // A dual allocation can lose one family while the other lives on (RFC 8656 §8).
        for relay in allocation.relays where now >= relay.expiry {
            removeRelay(family: relay.address.family, from: id)
        }
        guard let earliest = allocations[id]?.earliestRelayExpiry else { return }
        allocations[id]?.timerDeadline = earliest
        timers.schedule(.allocation(id), at: earliest)
    }

    private mutating func permissionTimerFired(_ id: AllocationID, _ ip: IPAddress, deadline: Instant, now: Instant) {
        guard let permission = allocations[id]?.permissions[ip], permission.timerDeadline == deadline else { return }
        if now >= permission.expiry {
            removePermission(ip, from: id)
        } else {
            allocations[id]?.permissions[ip]?.timerDeadline = permission.expiry
            timers.schedule(.permission(id, ip), at: permission.expiry)
        }
    }

    private mutating func channelTimerFired(_ id: AllocationID, _ number: ChannelNumber, deadline: Instant, now: Instant) {
        guard let allocation = allocations[id], let binding = allocation.channels[number],
              binding.timerDeadline == deadline else { return }
        guard now >= binding.expiry else {
            allocations[id]?.channels[number]?.timerDeadline = binding.expiry
            timers.schedule(.channel(id, number), at: binding.expiry)
            return
        }
        switch binding.phase {
        case .bound:
            // RFC 8656 §12: the binding ends; number and peer stay paired through the cool-down.
            if binding.routeInstalled, let route = allocation.route(for: number, binding: binding) {
                actions.append(.removeChannelRoute(route))
            }
            let coolDownEnd = binding.expiry + configuration.channelCooldown
            allocations[id]?.channels[number]?.phase = .coolingDown
            allocations[id]?.channels[number]?.routeInstalled = false
            allocations[id]?.channels[number]?.expiry = coolDownEnd
            allocations[id]?.channels[number]?.timerDeadline = coolDownEnd
            timers.schedule(.channel(id, number), at: coolDownEnd)
        case .coolingDown:
            allocations[id]?.channels[number] = nil
            allocations[id]?.channelByPeer[binding.peer] = nil
        }
    }

    private mutating func reservationTimerFired(_ token: UInt64, now: Instant) {
        guard let reservation = reservations[token], now >= reservation.expiry else { return }
        reservations[token] = nil
        portsInUse.remove(reservation.relayed.key)
        releaseQuota(reservation.user)
        actions.append(.closeRelayPort(reservation.relayed.local))
    }
}
