import STUNWire
import TURNCore

extension ServerConfiguration {
    /// The one place a server configuration becomes a core configuration: worker `index` of
    /// `workers` gets its own slice of the relay port range (so cores never pick the same port),
    /// and every worker the same `ServerQuota` and `usernameFailures`: the per-user and total
    /// allocation limits, the per-user byte budgets and the per-username failure budgets hold
    /// server-wide.
    /// `bound` are the listeners as bound (a configured port 0 resolved): the peer policy must
    /// refuse the ports actually in use.
    func relayConfiguration(
        worker index: Int, of workers: Int, sharedQuota: ServerQuota, usernameFailures: UsernameFailureBudgets,
        bound: Listeners
    ) throws(WireError) -> RelayConfiguration {
        var addresses: [AddressFamily: RelayAddress] = [:]
        if let ipv4 = relay.ipv4 {
            addresses[.ipv4] = RelayAddress(local: .v4(ipv4), advertised: relay.advertisedIPv4.map(IPAddress.v4))
        }
        if let ipv6 = relay.ipv6 {
            addresses[.ipv6] = RelayAddress(local: .v6(ipv6), advertised: relay.advertisedIPv6.map(IPAddress.v6))
        }
        let credentials = try credentialStore()
        var configuration = RelayConfiguration(
            relayAddresses: addresses,
            portRange: Self.portSlice(relay.ports, worker: index, of: workers),
            credentials: credentials,
            nonceIssuer: nonceIssuer(),
            peerPolicy: withListeners(bound).peerPolicy())
        configuration.defaultLifetime = lifetimes.allocationDefault
        configuration.maximumLifetime = lifetimes.allocationMaximum
        configuration.permissionLifetime = lifetimes.permission
        configuration.channelLifetime = lifetimes.channel
        configuration.allocationsPerUser = quotas.allocationsPerUser == 0 ? .max : quotas.allocationsPerUser
        // The core checks these within itself first; `sharedQuota` holds them server-wide.
        configuration.maximumAllocations = quotas.allocationsTotal == 0 ? .max : quotas.allocationsTotal
        configuration.sharedQuota = sharedQuota
        configuration.permissionsPerAllocation = quotas.permissionsPerAllocation == 0 ? .max : quotas.permissionsPerAllocation
        configuration.bandwidthPerAllocation = Self.bandwidth(quotas.bandwidthPerAllocation)
        configuration.bandwidthPerUser = Self.bandwidth(quotas.bandwidthPerUser)
        configuration.unauthenticatedRepliesPerSecond = quotas.authReplyRate
        configuration.unauthenticatedReplyBurst = quotas.authReplyBurst
        configuration.amplificationBytesPerSecond = quotas.amplificationRate
        configuration.amplificationBurst = quotas.amplificationBurst
        configuration.authFailureBurst = quotas.authFailureBurst
        configuration.authFailureInterval = quotas.authFailureInterval
        configuration.usernameFailureBudgets = usernameFailures
        configuration.software = server.software
        configuration.alternateServer = drain.alternateServer
        return configuration
    }

    private func withListeners(_ bound: Listeners) -> ServerConfiguration {
        var copy = self
        copy.listeners = bound
        return copy
    }

    /// Worker `index`'s share of `ports`: consecutive, disjoint, together the whole range.
    static func portSlice(_ ports: ClosedRange<UInt16>, worker index: Int, of workers: Int) -> ClosedRange<UInt16> {
        let count = Int(ports.upperBound) - Int(ports.lowerBound) + 1
        let share = max(1, count / max(1, workers))
        let lower = Int(ports.lowerBound) + min(index, count - 1) * share
        let upper = index == workers - 1 ? Int(ports.upperBound) : min(Int(ports.upperBound), lower + share - 1)
        return UInt16(lower)...UInt16(upper)
    }

    /// Which worker's slice holds `port`, or nil outside the range.
    static func worker(owning port: UInt16, in ports: ClosedRange<UInt16>, workers: Int) -> Int? {
        guard ports.contains(port) else { return nil }
        let count = Int(ports.upperBound) - Int(ports.lowerBound) + 1
        let share = max(1, count / max(1, workers))
        return min(workers - 1, (Int(port) - Int(ports.lowerBound)) / share)
    }

    /// A rate of zero is no limit; otherwise one second's worth of burst.
    private static func bandwidth(_ bytesPerSecond: UInt64) -> BandwidthLimit? {
        bytesPerSecond == 0 ? nil : BandwidthLimit(bytesPerSecond: bytesPerSecond, burstBytes: bytesPerSecond)
    }
}
