import TURNCore
import TurnpikeXDP

/// The kernel fast path's state and counters as of the last periodic read: what
/// `turnpike_xdp_attached{interface,mode}`, the `datapath="xdp"` packet counters and the
/// per-verdict-reason counters are made of. Labels stay bounded: interfaces are configured,
/// reasons come from the registry in turnpike_xdp.h.
public struct XDPStatistics: Hashable, Sendable {
    public struct Attachment: Hashable, Sendable {
        public var interface: String
        /// "native" or "generic".
        public var mode: String
        /// False once the program was detached from outside turnpike.
        public var attached: Bool
    }

    /// One verdict reason of the registry, with its counters summed over CPUs.
    public struct Reason: Hashable, Sendable {
        public var number: UInt32
        public var name: String
        /// "pass", "drop", "tx" or "redirect".
        public var verdict: String
        public var packets: UInt64
        public var bytes: UInt64
    }

    /// Whether the program is loaded (attached somewhere, or was).
    public var loaded: Bool
    public var attachments: [Attachment]
    /// Application data relayed by the kernel, both directions.
    public var relayed: TrafficCounters
    /// Every reason of the registry, in number order.
    public var reasons: [Reason]
    public var installedRoutes: Int
    /// Channel routes the maps refused (full, or a kernel error); userspace relays them.
    public var installFailures: UInt64
    /// Whether the kernel relays on each interface, and if not why.
    public var interfaces: [XDPInterfaceReadiness] = []
    /// The egress resolver: destinations in use, resolved and unresolved by reason.
    public var egress: XDPEgressResolution?

    /// Packets the program dropped (bound channel, malformed ChannelData), by reason name.
    public var dropped: [String: UInt64] {
        Dictionary(uniqueKeysWithValues: reasons.filter { $0.verdict == "drop" }.map { ($0.name, $0.packets) })
    }
}
