/// Server-wide numbers.
public struct AdminStats: Codable, Hashable, Sendable {
    public var ready: Bool
    public var draining: Bool
    public var eventLoops: Int
    public var uptimeSeconds: Double
    public var allocations: Int
    /// "ipv4/udp" → count.
    public var allocationsByKind: [String: Int]
    public var permissions: Int
    public var channels: Int
    public var streamConnections: Int
    public var allocationsCreated: UInt64
    public var allocationsDeleted: [String: UInt64]
    /// Datapath ("userspace", "xdp") → traffic.
    public var relayed: [String: AdminTrafficCounts]
    /// Drop reason → count, non-zero only.
    public var dropped: [String: UInt64]
    /// "method result" → count.
    public var requests: [String: UInt64]
    public var authenticationFailures: [String: UInt64]
    /// Listening addresses with every event loop's socket open, by transport (as they are, not
    /// as configured).
    public var listeners: [String: [String]]
    /// "udp ADDRESS" for an address some loop has no open socket on (being bound again).
    public var listenersDown: [String] = []
    /// Entries in the cores' and workers' tables, summed over event loops ("allocations",
    /// "timers", "address_cache", ...): what a flood or a churn must leave as it found it.
    public var tables: [String: Int] = [:]
    /// The TCP/TLS pipeline: queues, partial frames, drops and refusals.
    public var streams = AdminStreamStats()
    /// Per interface: whether the kernel fast path relays there, and if not the reason and fix.
    /// Empty with `xdp.mode: off`.
    public var xdpInterfaces: [XDPInterfaceReadiness] = []
}
