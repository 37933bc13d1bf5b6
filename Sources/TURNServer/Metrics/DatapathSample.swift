import TURNCore

/// Cumulative relayed traffic and drops of one datapath, as its source reports them. The
/// userspace path reads the cores; the XDP path will read its per-CPU kernel counters. A new
/// source is one more `DatapathCounterSource`.
public struct DatapathSample: Sendable {
    /// The `datapath` label: "userspace" or "xdp".
    public var datapath: String
    public var traffic: TrafficCounters
    /// Drops by reason label (for the core, `DropReason.rawValue`).
    public var drops: [String: UInt64]

    public init(datapath: String, traffic: TrafficCounters, drops: [String: UInt64]) {
        self.datapath = datapath
        self.traffic = traffic
        self.drops = drops
    }
}
