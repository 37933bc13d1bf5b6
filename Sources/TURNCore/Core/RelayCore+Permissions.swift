import STUNWire

extension RelayCore {
    /// RFC 8656 §10.2.
    mutating func handleCreatePermission(_ message: STUNMessage, from fiveTuple: FiveTuple, now: Now) -> RequestOutcome {
        guard let id = allocationByTuple[fiveTuple], let allocation = allocations[id] else {
            return .failure(.allocationMismatch)
        }
        // §10.2: at least one XOR-PEER-ADDRESS.
        let peers = message.xorPeerAddresses
        guard !peers.isEmpty else { return .failure(.badRequest) }
        // §10.2: every address must be of a family the allocation relays (443) and allowed by
        // local policy (403); otherwise nothing is installed.
        for peer in peers {
            guard allocation.relay(for: peer.family) != nil else { return .failure(.peerAddressFamilyMismatch) }
            if case .refused = configuration.peerPolicy.check(peer: peer.ip) { return .failure(.forbidden) }
        }
        // §10.2: a capacity limit → 508.
        var added: [IPAddress] = []
        for peer in peers where allocation.permissions[peer.ip] == nil && !added.contains(peer.ip) {
            added.append(peer.ip)
        }
        guard allocation.permissions.count + added.count <= configuration.permissionsPerAllocation else {
            return .failure(.insufficientCapacity)
        }
        for peer in peers { installPermission(peer.ip, in: id, now: now) }
        return .success([])
    }

    /// RFC 8656 §9: installs or refreshes a permission for 300 s; if it was not active, the
    /// routes of bound channels to that IP come back.
    mutating func installPermission(_ ip: IPAddress, in id: AllocationID, now: Now) {
        guard let allocation = allocations[id] else { return }
        let expiry = now.monotonic + configuration.permissionLifetime
        if let existing = allocation.permissions[ip] {
            allocations[id]?.permissions[ip]?.expiry = expiry
            if existing.isActive(at: now.monotonic) { return }
        } else {
            allocations[id]?.permissions[ip] = Permission(expiry: expiry, timerDeadline: expiry)
            timers.schedule(.permission(id, ip), at: expiry)
        }
        for (number, binding) in allocation.channels.sorted(by: { $0.key < $1.key })
        where kernelPathAllowed && binding.peer.ip == ip && binding.isBound(at: now.monotonic) && !binding.routeInstalled {
            if let route = allocation.route(for: number, binding: binding) {
                actions.append(.installChannelRoute(route))
                allocations[id]?.channels[number]?.routeInstalled = true
            }
        }
    }

    /// The permission for `ip` ended: channels to it lose their fast-path route.
    mutating func removePermission(_ ip: IPAddress, from id: AllocationID) {
        guard let allocation = allocations[id] else { return }
        allocations[id]?.permissions[ip] = nil
        for (number, binding) in allocation.channels.sorted(by: { $0.key < $1.key })
        where binding.peer.ip == ip && binding.routeInstalled {
            if let route = allocation.route(for: number, binding: binding) {
                actions.append(.removeChannelRoute(route))
            }
            allocations[id]?.channels[number]?.routeInstalled = false
        }
    }
}
