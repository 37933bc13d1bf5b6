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
