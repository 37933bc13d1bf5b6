import STUNWire

/// Parses rtnetlink datagrams totally and strictly: every length is checked against what is
/// left before anything is read, a message or attribute that runs past its container is an
/// error, and nothing traps on any input. Integers in netlink headers are in host byte order.
public enum NetlinkParser {
    /// Every message in one datagram (a receive from a netlink socket), in order.
    public static func parse(_ datagram: [UInt8]) throws(NetlinkParseError) -> [NetlinkMessage] {
        var messages: [NetlinkMessage] = []
        var offset = 0
        while offset < datagram.count {
            guard datagram.count - offset >= Netlink.headerLength else {
                throw NetlinkParseError("\(datagram.count - offset) bytes after message \(messages.count), less than a header")
            }
            let length = Int(hostUInt32(datagram, offset))
            guard length >= Netlink.headerLength, length <= datagram.count - offset else {
                throw NetlinkParseError("message \(messages.count) claims \(length) bytes, \(datagram.count - offset) left")
            }
            let type = hostUInt16(datagram, offset + 4)
            let flags = hostUInt16(datagram, offset + 6)
            let sequence = hostUInt32(datagram, offset + 8)
            let payload = datagram[(offset + Netlink.headerLength)..<(offset + length)]
            let body = try parseBody(type: type, payload)
            messages.append(NetlinkMessage(type: type, flags: flags, sequence: sequence, body: body))
            // NLMSG_ALIGN: the next message starts at a multiple of four (the last may end unpadded).
            offset += min(aligned(length), datagram.count - offset)
        }
        return messages
    }

    static func parseBody(type: UInt16, _ payload: ArraySlice<UInt8>) throws(NetlinkParseError) -> NetlinkMessage.Body {
        switch type {
        case Netlink.messageError:
            guard payload.count >= 4 else { throw NetlinkParseError("NLMSG_ERROR of \(payload.count) bytes") }
            return .error(Int32(bitPattern: hostUInt32(payload, payload.startIndex)))
        case Netlink.messageDone:
            return .done
        case Netlink.newRoute, Netlink.deleteRoute:
            return .route(try parseRoute(payload, deleted: type == Netlink.deleteRoute))
        case Netlink.newNeighbour, Netlink.deleteNeighbour:
            return .neighbour(try parseNeighbour(payload, deleted: type == Netlink.deleteNeighbour))
        case Netlink.newLink, Netlink.deleteLink:
            return .link(try parseLink(payload, deleted: type == Netlink.deleteLink))
        default:
            return .ignored
        }
    }

    static func parseRoute(_ payload: ArraySlice<UInt8>, deleted: Bool) throws(NetlinkParseError) -> NetlinkRoute {
        guard payload.count >= Netlink.routeMessageLength else { throw NetlinkParseError("rtmsg of \(payload.count) bytes") }
        let base = payload.startIndex
        var route = NetlinkRoute(
            deleted: deleted, family: payload[base], destinationLength: payload[base + 1], table: UInt32(payload[base + 4]),
            routeType: payload[base + 7], routeFlags: hostUInt32(payload, base + 8))
        for attribute in try attributes(payload.dropFirst(Netlink.routeMessageLength)) {
            switch attribute.type {
            case Netlink.routeAttributeDestination:
                route.destination = try address(attribute.value, family: route.family, "RTA_DST")
            case Netlink.routeAttributeGateway:
                route.gateway = try address(attribute.value, family: route.family, "RTA_GATEWAY")
            case Netlink.routeAttributeOutputInterface:
                route.outputInterface = try uint32(attribute.value, "RTA_OIF")
            case Netlink.routeAttributeTable:
                route.table = try uint32(attribute.value, "RTA_TABLE")
            case Netlink.routeAttributeMetrics:
                for metric in try attributes(attribute.value) where metric.type == Netlink.metricMTU {
                    route.mtu = try uint32(metric.value, "RTAX_MTU")
                }
            case Netlink.routeAttributeVia, Netlink.routeAttributeEncapsulation, Netlink.routeAttributeMultipath:
                route.unsupportedNextHop = true
            default:
                continue
            }
        }
        return route
    }

    static func parseNeighbour(_ payload: ArraySlice<UInt8>, deleted: Bool) throws(NetlinkParseError) -> NetlinkNeighbour {
        guard payload.count >= Netlink.neighbourMessageLength else { throw NetlinkParseError("ndmsg of \(payload.count) bytes") }
        let base = payload.startIndex
        let family = payload[base]
        var neighbour = NetlinkNeighbour(
            deleted: deleted, interfaceIndex: hostUInt32(payload, base + 4), state: hostUInt16(payload, base + 8),
            destination: nil, linkAddress: nil)
        for attribute in try attributes(payload.dropFirst(Netlink.neighbourMessageLength)) {
            switch attribute.type {
            case Netlink.neighbourAttributeDestination:
                // Bridge FDB entries (AF_BRIDGE) share the message type and carry no IP address.
                guard family == Netlink.familyIPv4 || family == Netlink.familyIPv6 else { continue }
                neighbour.destination = try address(attribute.value, family: family, "NDA_DST")
            case Netlink.neighbourAttributeLinkAddress:
                neighbour.linkAddress = Array(attribute.value)
            default:
                continue
            }
        }
        return neighbour
    }

    static func parseLink(_ payload: ArraySlice<UInt8>, deleted: Bool) throws(NetlinkParseError) -> NetlinkLink {
        guard payload.count >= Netlink.linkMessageLength else { throw NetlinkParseError("ifinfomsg of \(payload.count) bytes") }
        let base = payload.startIndex
        var link = NetlinkLink(
            deleted: deleted, interfaceIndex: hostUInt32(payload, base + 4), hardwareType: hostUInt16(payload, base + 2),
            interfaceFlags: hostUInt32(payload, base + 8), address: nil, mtu: nil)
        for attribute in try attributes(payload.dropFirst(Netlink.linkMessageLength)) {
            switch attribute.type {
            case Netlink.linkAttributeAddress:
                link.address = Array(attribute.value)
            case Netlink.linkAttributeMTU:
                link.mtu = try uint32(attribute.value, "IFLA_MTU")
            case Netlink.linkAttributeName:
                // NUL-terminated; the name is what comes before the first NUL.
                link.name = String(decoding: attribute.value.prefix { $0 != 0 }, as: UTF8.self)
            default:
                continue
            }
        }
        return link
    }

    struct Attribute {
        var type: UInt16
        var value: ArraySlice<UInt8>
    }

    /// The attributes (struct rtattr / nlattr: length, type, value, padded to four) filling `bytes`.
    static func attributes(_ bytes: ArraySlice<UInt8>) throws(NetlinkParseError) -> [Attribute] {
        var result: [Attribute] = []
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            guard bytes.endIndex - offset >= Netlink.attributeHeaderLength else {
                throw NetlinkParseError("\(bytes.endIndex - offset) bytes after attribute \(result.count), less than a header")
            }
            let length = Int(hostUInt16(bytes, offset))
            guard length >= Netlink.attributeHeaderLength, length <= bytes.endIndex - offset else {
                throw NetlinkParseError("attribute \(result.count) claims \(length) bytes, \(bytes.endIndex - offset) left")
            }
            let type = hostUInt16(bytes, offset + 2) & Netlink.attributeTypeMask
            result.append(Attribute(type: type, value: bytes[(offset + Netlink.attributeHeaderLength)..<(offset + length)]))
            offset += min(aligned(length), bytes.endIndex - offset)
        }
        return result
    }

    static func address(_ value: ArraySlice<UInt8>, family: UInt8, _ name: String) throws(NetlinkParseError) -> IPAddress {
        switch (family, value.count) {
        case (Netlink.familyIPv4, 4):
            let base = value.startIndex
            return .v4(IPv4Address(value[base], value[base + 1], value[base + 2], value[base + 3]))
        case (Netlink.familyIPv6, 16):
            guard let address = IPv6Address(bytes: value) else { throw NetlinkParseError("\(name): not an IPv6 address") }
            return .v6(address)
        default:
            throw NetlinkParseError("\(name) of \(value.count) bytes for family \(family)")
        }
    }

    static func uint32(_ value: ArraySlice<UInt8>, _ name: String) throws(NetlinkParseError) -> UInt32 {
        guard value.count == 4 else { throw NetlinkParseError("\(name) of \(value.count) bytes") }
        return hostUInt32(value, value.startIndex)
    }

    static func aligned(_ length: Int) -> Int {
        (length + Netlink.alignment - 1) & ~(Netlink.alignment - 1)
    }

    /// A host-order integer at `offset`; the caller has checked the bytes are there.
    static func hostUInt16<C: RandomAccessCollection<UInt8>>(_ bytes: C, _ offset: C.Index) -> UInt16 where C.Index == Int {
        UInt16(littleEndian: UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8)
    }

    static func hostUInt32<C: RandomAccessCollection<UInt8>>(_ bytes: C, _ offset: C.Index) -> UInt32 where C.Index == Int {
        UInt32(littleEndian: UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
            | UInt32(bytes[offset + 3]) << 24)
    }
}
