import STUNWire

/// One rtnetlink message (rtnetlink(7)) as the egress resolver needs it: the reply to a request
/// or a multicast notification about a route, a neighbour or a link.
public struct NetlinkMessage: Hashable, Sendable {
    /// nlmsg_type.
    public var type: UInt16
    /// nlmsg_flags.
    public var flags: UInt16
    /// nlmsg_seq: the request's number in a reply, 0 in a notification.
    public var sequence: UInt32
    public var body: Body

    public init(type: UInt16, flags: UInt16, sequence: UInt32, body: Body) {
        self.type = type
        self.flags = flags
        self.sequence = sequence
        self.body = body
    }

    public enum Body: Hashable, Sendable {
        /// NLMSG_ERROR: 0 acknowledges a request, otherwise a negative errno.
        case error(Int32)
        /// NLMSG_DONE: the end of a dump.
        case done
        case route(NetlinkRoute)
        case neighbour(NetlinkNeighbour)
        case link(NetlinkLink)
        /// A type the resolver does not use (NLMSG_NOOP, address messages, ...).
        case ignored
    }
}

/// RTM_NEWROUTE / RTM_DELROUTE: struct rtmsg and the attributes the resolver uses.
public struct NetlinkRoute: Hashable, Sendable {
    public var deleted: Bool
    /// AF_INET or AF_INET6.
    public var family: UInt8
    public var destinationLength: UInt8
    public var table: UInt32
    /// rtm_type: RTN_UNICAST, RTN_LOCAL, RTN_BLACKHOLE, ...
    public var routeType: UInt8
    /// rtm_flags (RTM_F_CLONED marks a cache entry).
    public var routeFlags: UInt32
    public var destination: IPAddress?
    public var outputInterface: UInt32?
    public var gateway: IPAddress?
    /// RTAX_MTU of RTA_METRICS, when the route sets one.
    public var mtu: UInt32?
    /// RTA_VIA (a gateway of the other family), RTA_ENCAP or RTA_MULTIPATH without a chosen
    /// path: nothing the program can follow.
    public var unsupportedNextHop: Bool

    public init(deleted: Bool = false, family: UInt8, destinationLength: UInt8 = 0, table: UInt32 = 0,
                routeType: UInt8, routeFlags: UInt32 = 0, destination: IPAddress? = nil, outputInterface: UInt32? = nil,
                gateway: IPAddress? = nil, mtu: UInt32? = nil, unsupportedNextHop: Bool = false) {
        self.deleted = deleted
        self.family = family
        self.destinationLength = destinationLength
        self.table = table
        self.routeType = routeType
        self.routeFlags = routeFlags
        self.destination = destination
        self.outputInterface = outputInterface
        self.gateway = gateway
        self.mtu = mtu
        self.unsupportedNextHop = unsupportedNextHop
    }
}

/// RTM_NEWNEIGH / RTM_DELNEIGH: struct ndmsg with NDA_DST and NDA_LLADDR.
public struct NetlinkNeighbour: Hashable, Sendable {
    public var deleted: Bool
    public var interfaceIndex: UInt32
    /// ndm_state: NUD_* bits.
    public var state: UInt16
    public var destination: IPAddress?
    public var linkAddress: [UInt8]?

    public init(deleted: Bool = false, interfaceIndex: UInt32, state: UInt16, destination: IPAddress?, linkAddress: [UInt8]?) {
        self.deleted = deleted
        self.interfaceIndex = interfaceIndex
        self.state = state
        self.destination = destination
        self.linkAddress = linkAddress
    }
}

/// RTM_NEWLINK / RTM_DELLINK: struct ifinfomsg with IFLA_ADDRESS, IFLA_MTU and IFLA_IFNAME.
public struct NetlinkLink: Hashable, Sendable {
    public var deleted: Bool
    public var interfaceIndex: UInt32
    /// ifi_type: ARPHRD_ETHER for Ethernet.
    public var hardwareType: UInt16
    /// ifi_flags: IFF_UP, IFF_RUNNING, ...
    public var interfaceFlags: UInt32
    public var address: [UInt8]?
    public var mtu: UInt32?
    public var name: String?

    public init(deleted: Bool = false, interfaceIndex: UInt32, hardwareType: UInt16, interfaceFlags: UInt32 = 0,
                address: [UInt8]?, mtu: UInt32?, name: String? = nil) {
        self.deleted = deleted
        self.interfaceIndex = interfaceIndex
        self.hardwareType = hardwareType
        self.interfaceFlags = interfaceFlags
        self.address = address
        self.mtu = mtu
        self.name = name
    }
}
