/// Counts over one core at one moment, for metrics gauges and the admin API's stats.
public struct CoreStatistics: Hashable, Sendable {
    /// A bounded key: relay family label ("ipv4", "ipv6", "dual") and client transport.
    public struct AllocationKind: Hashable, Sendable {
        public var family: String
        public var transport: ClientTransport

        public init(family: String, transport: ClientTransport) {
            self.family = family
            self.transport = transport
        }
    }

    public var allocations: [AllocationKind: Int] = [:]
    /// Active permissions over all allocations (RFC 8656 §9).
    public var permissions = 0
    /// Bound channels over all allocations (RFC 8656 §12), not those cooling down.
    public var channels = 0
    public var traffic = TrafficCounters()
    public var drops = DropCounters()
    /// Entries in each of the core's tables, by name: what a flood, a churn or a soak must leave
    /// as it found it (tests/hardening). Nothing here grows for a source that has not authenticated.
    public var tables: [String: Int] = [:]

    public init() {}

    public var allocationCount: Int { allocations.values.reduce(0, +) }
}
