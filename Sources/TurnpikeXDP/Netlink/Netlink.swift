/// The rtnetlink numbers the resolver uses, from <linux/netlink.h>, <linux/rtnetlink.h>,
/// <linux/neighbour.h>, <linux/if_link.h> and <linux/if_arp.h> (stable kernel ABI).
enum Netlink {
    // netlink(7)
    static let headerLength = 16 // struct nlmsghdr
    static let alignment = 4 // NLMSG_ALIGNTO, RTA_ALIGNTO
    static let attributeHeaderLength = 4 // struct rtattr / struct nlattr
    static let messageNoop: UInt16 = 1 // NLMSG_NOOP
    static let messageError: UInt16 = 2 // NLMSG_ERROR
    static let messageDone: UInt16 = 3 // NLMSG_DONE
    static let flagRequest: UInt16 = 0x01 // NLM_F_REQUEST
    static let flagMulti: UInt16 = 0x02 // NLM_F_MULTI
    static let flagAck: UInt16 = 0x04 // NLM_F_ACK
    static let flagDump: UInt16 = 0x300 // NLM_F_ROOT | NLM_F_MATCH
    static let attributeTypeMask: UInt16 = 0x3fff // ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER)

    // rtnetlink(7) message types
    static let newLink: UInt16 = 16 // RTM_NEWLINK
    static let deleteLink: UInt16 = 17 // RTM_DELLINK
    static let getLink: UInt16 = 18 // RTM_GETLINK
    static let newRoute: UInt16 = 24 // RTM_NEWROUTE
    static let deleteRoute: UInt16 = 25 // RTM_DELROUTE
    static let getRoute: UInt16 = 26 // RTM_GETROUTE
    static let newNeighbour: UInt16 = 28 // RTM_NEWNEIGH
    static let deleteNeighbour: UInt16 = 29 // RTM_DELNEIGH
    static let getNeighbour: UInt16 = 30 // RTM_GETNEIGH

    // Multicast groups (the legacy bit mask of sockaddr_nl.nl_groups)
    static let groupLink: UInt32 = 0x1 // RTMGRP_LINK
    static let groupNeighbour: UInt32 = 0x4 // RTMGRP_NEIGH
    static let groupIPv4Route: UInt32 = 0x40 // RTMGRP_IPV4_ROUTE
    static let groupIPv6Route: UInt32 = 0x400 // RTMGRP_IPV6_ROUTE

    // Families
    static let familyUnspecified: UInt8 = 0 // AF_UNSPEC
    static let familyIPv4: UInt8 = 2 // AF_INET
    static let familyIPv6: UInt8 = 10 // AF_INET6

    // struct rtmsg (12 bytes) and its attributes
    static let routeMessageLength = 12
    static let routeAttributeDestination: UInt16 = 1 // RTA_DST
    static let routeAttributeOutputInterface: UInt16 = 4 // RTA_OIF
    static let routeAttributeGateway: UInt16 = 5 // RTA_GATEWAY
    static let routeAttributeMetrics: UInt16 = 8 // RTA_METRICS
    static let routeAttributeMultipath: UInt16 = 9 // RTA_MULTIPATH
    static let routeAttributeTable: UInt16 = 15 // RTA_TABLE
    static let routeAttributeVia: UInt16 = 18 // RTA_VIA
    static let routeAttributeEncapsulation: UInt16 = 22 // RTA_ENCAP
    static let metricMTU: UInt16 = 2 // RTAX_MTU
    static let routeTypeUnicast: UInt8 = 1 // RTN_UNICAST
    static let routeFlagCloned: UInt32 = 0x200 // RTM_F_CLONED

    // struct ndmsg (12 bytes) and its attributes
    static let neighbourMessageLength = 12
    static let neighbourAttributeDestination: UInt16 = 1 // NDA_DST
    static let neighbourAttributeLinkAddress: UInt16 = 2 // NDA_LLADDR
    static let neighbourReachable: UInt16 = 0x02 // NUD_REACHABLE
    static let neighbourStale: UInt16 = 0x04 // NUD_STALE
    static let neighbourDelay: UInt16 = 0x08 // NUD_DELAY
    static let neighbourProbe: UInt16 = 0x10 // NUD_PROBE
    static let neighbourPermanent: UInt16 = 0x80 // NUD_PERMANENT
    /// States whose link-layer address may be used to send (the kernel sends in these too).
    static let neighbourUsable: UInt16 = neighbourReachable | neighbourStale | neighbourDelay | neighbourProbe
        | neighbourPermanent

    // struct ifinfomsg (16 bytes) and its attributes
    static let linkMessageLength = 16
    static let linkAttributeAddress: UInt16 = 1 // IFLA_ADDRESS
    static let linkAttributeName: UInt16 = 3 // IFLA_IFNAME
    static let linkAttributeMTU: UInt16 = 4 // IFLA_MTU
    static let hardwareEthernet: UInt16 = 1 // ARPHRD_ETHER
}
