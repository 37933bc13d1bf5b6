import STUNWire

extension RelayCore {
    /// RFC 8656 §12.2.
    mutating func handleChannelBind(_ message: STUNMessage, from fiveTuple: FiveTuple, now: Now) -> RequestOutcome {
        guard let id = allocationByTuple[fiveTuple], let allocation = allocations[id] else {
            return .failure(.allocationMismatch)
        }
        // §12.2: CHANNEL-NUMBER and XOR-PEER-ADDRESS are required; the number must be in range
        // (0x4000-0x7FFF: RFC 5766 clients are accepted too, see `ChannelNumber.validRange`).
        guard let number = message.channelNumber, let peer = message.xorPeerAddresses.first, number.isValid else {
            return .failure(.badRequest)
        }
        // Port 0 is reserved (RFC 6335 §6): no peer receives on it, so a channel to it is a
        // malformed request (400), unlike a permission, which ignores ports (§9).
        guard peer.port != Self.reservedPort else { return .failure(.badRequest) }
        // §12.2: the peer's family must be one the allocation relays (443).
        guard allocation.relay(for: peer.family) != nil else { return .failure(.peerAddressFamilyMismatch) }
        // §12.2: local policy may refuse the peer (403).
        let isOwnRelay: Bool
        switch configuration.peerPolicy.check(destination: peer) {
        case .allowed: isOwnRelay = false
        case .ownRelay: isOwnRelay = true
        case .refused: return .failure(.forbidden)
        }
        // §12.2: the number must not be bound (or cooling down) for another peer, nor the peer
        // for another number (§12: 300 s after expiry before either is re-paired).
        if let existing = allocation.channels[number], existing.peer != peer { return .failure(.badRequest) }
        if let existingNumber = allocation.channelByPeer[peer], existingNumber != number { return .failure(.badRequest) }
        // A new channel within the server's limit (§12.2: a capacity limit is 508).
        if allocation.channels[number] == nil, allocation.channels.count >= configuration.channelsPerAllocation {
            return .failure(.insufficientCapacity)
        }
        // A ChannelBind also installs a permission (§12.2), within the same limit (508).
        if allocation.permissions[peer.ip] == nil, allocation.permissions.count >= configuration.permissionsPerAllocation {
            return .failure(.insufficientCapacity)
        }

        let expiry = now.monotonic + configuration.channelLifetime
        if allocation.channels[number] != nil {
            allocations[id]?.channels[number]?.phase = .bound
            allocations[id]?.channels[number]?.expiry = expiry
        } else {
            allocations[id]?.channels[number] = ChannelBinding(
                peer: peer, phase: .bound, expiry: expiry, timerDeadline: expiry, routeInstalled: false,
                peerIsOwnRelay: isOwnRelay)
            allocations[id]?.channelByPeer[peer] = number
            timers.schedule(.channel(id, number), at: expiry)
        }
        let mark = actions.count
        installPermission(peer.ip, in: id, now: now)
        // DESIGN.md: the fast path is ready before the client learns the channel is bound; it is
        // re-installed on every refresh.
        if kernelPathAllowed, let updated = allocations[id], let binding = updated.channels[number],
           let route = updated.route(for: number, binding: binding) {
            if !actions[mark...].contains(.installChannelRoute(route)) {
                actions.append(.installChannelRoute(route))
            }
            allocations[id]?.channels[number]?.routeInstalled = true
        }
        return .success([])
    }

    /// Bandwidth limits (`bandwidthPerAllocation`, `bandwidthPerUser`) are enforced where every
    /// relayed byte is metered, in userspace: while one is configured no channel is handed to the
    /// kernel fast path, so no traffic escapes the limit (the limited server relays in userspace
    /// only; docs/xdp.md says so).
    var kernelPathAllowed: Bool {
        configuration.bandwidthPerAllocation == nil && configuration.bandwidthPerUser == nil
    }

    /// A reload that brings in a bandwidth limit takes every channel off the kernel fast path at
    /// once (routes removed, so the kernel stops relaying before the next packet). A reload that
    /// lifts it puts each channel back at its next ChannelBind refresh.
    mutating func withdrawKernelRoutes() {
        for (id, allocation) in allocations.sorted(by: { $0.key < $1.key }) {
            for (number, binding) in allocation.channels.sorted(by: { $0.key < $1.key }) where binding.routeInstalled {
                if let route = allocation.route(for: number, binding: binding) { actions.append(.removeChannelRoute(route)) }
                allocations[id]?.channels[number]?.routeInstalled = false
            }
        }
    }
}
