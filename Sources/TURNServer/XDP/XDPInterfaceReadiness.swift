/// Whether the kernel fast path will relay on one interface and, if not, the one reason and its
/// fix: logged once per interface at start, listed by `turnpike stats` and exported as
/// `turnpike_xdp_interface_ready{interface,reason}` (reasons are a small fixed set).
public struct XDPInterfaceReadiness: Codable, Hashable, Sendable {
    public var interface: String
    /// True when the program is attached here and relays bound channels in the kernel.
    public var ready: Bool
    public var reason: Reason
    /// The reason and what to do about it, for a person.
    public var detail: String

    public init(interface: String, reason: Reason, detail: String? = nil) {
        self.interface = interface
        self.ready = reason.isReady
        self.reason = reason
        self.detail = detail.map { "\(reason.explanation): \($0)" } ?? reason.explanation
    }

    public enum Reason: String, Codable, Hashable, Sendable, CaseIterable {
        /// Attached in driver mode: the kernel relays.
        case native
        /// Attached in generic (skb) mode: the kernel relays, more slowly.
        case generic
        /// `xdp.mode: off`.
        case off
        /// A loopback interface, which `auto` leaves alone.
        case loopback
        /// The process may not load or attach BPF programs.
        case noPermission = "no_permission"
        /// The kernel refused to load the program.
        case loadFailed = "load_failed"
        /// The routing tables could not be read (netlink), so no egress is known.
        case noRoutingTables = "no_routing_tables"
        /// Attaching failed for another reason (another XDP program is there, ...).
        case attachFailed = "attach_failed"
        /// Attached, then detached from outside turnpike.
        case detached

        var isReady: Bool { self == .native || self == .generic }

        /// The reason and its fix, in one sentence.
        public var explanation: String {
            switch self {
            case .native: "kernel fast path relays (native XDP)"
            case .generic: "driver does not support native XDP: using generic (the kernel relays, more slowly)"
            case .off: "xdp.mode is off: relayed in userspace"
            case .loopback: "loopback interface: relayed in userspace (name it in xdp.interfaces to attach anyway)"
            case .noPermission: "no XDP permission: needs CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN (containers: --cap-add BPF --cap-add PERFMON --cap-add NET_ADMIN)"
            case .loadFailed: "the kernel refused the XDP program (needs Linux 5.10 or later with BPF links and devmap hash)"
            case .noRoutingTables: "cannot read the routing tables through netlink: relayed in userspace"
            case .attachFailed: "cannot attach: relayed in userspace"
            case .detached: "detached from outside turnpike: relayed in userspace until the next start"
            }
        }
    }
}
