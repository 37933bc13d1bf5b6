import STUNWire

/// A read-only copy of one allocation for the admin API: taken on the core's own event loop,
/// safe to carry anywhere afterwards.
public struct AllocationSnapshot: Hashable, Sendable {
    public struct Relay: Hashable, Sendable {
        public var address: RelayedTransportAddress
        /// Time left before this family's relayed address expires (RFC 8656 §8).
        public var lifetimeLeft: Duration
    }

    /// A permission for one peer IP address (RFC 8656 §9).
    public struct PermissionEntry: Hashable, Sendable {
        public var peer: IPAddress
        public var expiresIn: Duration
    }

    /// A channel binding (RFC 8656 §12): bound, or cooling down before number and peer are free.
    public struct ChannelEntry: Hashable, Sendable {
        public var number: ChannelNumber
        public var peer: TransportAddress
        public var bound: Bool
        /// Time left in the current phase.
        public var expiresIn: Duration
    }

    public var id: AllocationID
    public var fiveTuple: FiveTuple
    /// The USERNAME the allocation was made with.
    public var username: String
    /// The quota identity (the `<user>` part of a shared-secret username).
    public var user: String
    public var relays: [Relay]
    public var age: Duration
    /// Time left before the allocation ends unless refreshed (its latest relay expiry).
    public var lifetimeLeft: Duration
    public var permissions: [PermissionEntry]
    public var channels: [ChannelEntry]
    /// Packets and bytes this core relayed for it (the userspace datapath).
    public var traffic: TrafficCounters
    /// Bytes per second, both directions, over the last second.
    public var bytesPerSecond: UInt64

    /// "ipv4", "ipv6" or "dual": a bounded label for metrics and a filter for the admin API.
    public var familyLabel: String { Self.familyLabel(relays.map(\.address.family)) }

    static func familyLabel(_ families: [AddressFamily]) -> String {
        if families.contains(.ipv4) && families.contains(.ipv6) { return "dual" }
        return families.first == .ipv6 ? "ipv6" : "ipv4"
    }
}

extension Allocation {
    func snapshot(at now: Instant) -> AllocationSnapshot {
        AllocationSnapshot(
            id: id, fiveTuple: fiveTuple, username: username, user: user,
            relays: relays.map { AllocationSnapshot.Relay(address: $0.address, lifetimeLeft: $0.expiry.since(now)) },
            age: now.since(created),
            lifetimeLeft: expiry.since(now),
            permissions: permissions.filter { $0.value.isActive(at: now) }
                .map { AllocationSnapshot.PermissionEntry(peer: $0.key, expiresIn: $0.value.expiry.since(now)) }
                .sorted { $0.peer.description < $1.peer.description },
            channels: channels.map { number, binding in
                AllocationSnapshot.ChannelEntry(
                    number: number, peer: binding.peer, bound: binding.isBound(at: now), expiresIn: binding.expiry.since(now))
            }.sorted { $0.number < $1.number },
            traffic: traffic.counters,
            bytesPerSecond: traffic.rate(at: now))
    }
}
