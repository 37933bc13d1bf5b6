import STUNWire

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
