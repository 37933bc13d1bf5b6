/// The egress resolver's state as statistics.
public struct XDPEgressResolution: Hashable, Sendable {
    /// Destinations the installed routes use.
    public var destinations: Int
    /// Those with an egress entry.
    public var resolved: Int
    /// Those without, by reason (their packets go to userspace: `egress_unresolved`).
    public var unresolved: [EgressTable.Unresolved: Int]
    /// Netlink requests that failed.
    public var requestFailures: UInt64
    /// Times every destination was resolved again after lost or unreadable notifications.
    public var resyncs: UInt64

    public init(destinations: Int, resolved: Int, unresolved: [EgressTable.Unresolved: Int], requestFailures: UInt64,
                resyncs: UInt64) {
        self.destinations = destinations
        self.resolved = resolved
        self.unresolved = unresolved
        self.requestFailures = requestFailures
        self.resyncs = resyncs
    }
}
