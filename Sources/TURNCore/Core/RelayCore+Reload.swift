import STUNWire

extension RelayCore {
    /// A configuration reload (DESIGN.md: SIGHUP). Credentials, nonce key, peer policy, quotas,
    /// limits, budgets for new allocations, SOFTWARE, the alternate server and the password
    /// algorithms apply from the next input. The relay addresses and port range stay, since live
    /// allocations hold ports in them; so does the drain flag (the shell's). The reply, amplification
    /// and failure budgets take their new settings and keep what they hold (up to the new burst);
    /// their table sizes stay.
    ///
    /// What the new configuration forbids ends at once, with the actions that go with it:
    /// - an allocation whose credential was removed (its static user, or the shared secret that
    ///   verified its username) is deleted as `credentialsRevoked`; an Allocate of such a user
    ///   still waiting for its port is abandoned;
    /// - a permission whose peer address the peer policy now refuses is removed (RFC 8656 §9
    ///   leaves permissions to local policy), and so is a channel binding whose peer transport
    ///   address it refuses (§12), their fast-path routes first; each allocation affected emits
    ///   one `peersRevoked` event.
    public mutating func reload(_ newConfiguration: RelayConfiguration) {
        var next = newConfiguration
        next.relayAddresses = configuration.relayAddresses
        next.portRange = configuration.portRange
        next.draining = configuration.draining
        configuration = next
        replyLimiter.reconfigure(ratePerSecond: next.unauthenticatedRepliesPerSecond, burst: next.unauthenticatedReplyBurst)
        amplificationBudget.reconfigure(bytesPerSecond: next.amplificationBytesPerSecond, burst: next.amplificationBurst)
        authFailures.reconfigure(burst: next.authFailureBurst, interval: next.authFailureInterval)
        usernameFailures = Self.usernameFailures(for: next, previous: usernameFailures)
        revokeRemovedCredentials()
        revokeRefusedPeers()
        if !kernelPathAllowed { withdrawKernelRoutes() }
    }

    private mutating func revokeRemovedCredentials() {
        let credentials = configuration.credentials
        for (id, allocation) in allocations.sorted(by: { $0.key < $1.key })
        where !credentials.stillAccepts(allocation.origin, username: allocation.username) {
            deleteAllocation(id, reason: .credentialsRevoked)
        }
        for (requestID, allocate) in pending where !allocate.abandoned
            && !credentials.stillAccepts(allocate.origin, username: allocate.username) {
            pending[requestID]?.abandoned = true
            pendingByTuple[allocate.fiveTuple] = nil
        }
    }

    private mutating func revokeRefusedPeers() {
        let policy = configuration.peerPolicy
        for (id, allocation) in allocations.sorted(by: { $0.key < $1.key }) {
            var channels = 0
            for (number, binding) in allocation.channels.sorted(by: { $0.key < $1.key }) {
                guard case .refused = policy.check(destination: binding.peer) else { continue }
                if binding.routeInstalled, let route = allocation.route(for: number, binding: binding) {
                    actions.append(.removeChannelRoute(route))
                }
                allocations[id]?.channels[number] = nil
                allocations[id]?.channelByPeer[binding.peer] = nil
                channels += 1
            }
            var permissions = 0
            for ip in allocation.permissions.keys.sorted(by: { $0.bytes.lexicographicallyPrecedes($1.bytes) }) {
                guard case .refused = policy.check(peer: ip) else { continue }
                removePermission(ip, from: id)
                permissions += 1
            }
            if permissions > 0 || channels > 0 {
                emit(.peersRevoked(id, permissions: permissions, channels: channels))
            }
        }
    }
}
