import STUNWire

/// The rtnetlink requests the egress resolver sends, encoded in host byte order.
enum NetlinkRequest {
    /// RTM_GETROUTE for one destination: the kernel answers with the route it would use
    /// (ip route get). IPv4 is asked as AF_INET with a 4-byte RTA_DST.
    static func route(to destination: IPAddress, sequence: UInt32) -> [UInt8] {
        let (family, bytes) = familyAndBytes(destination)
        var body = [UInt8](repeating: 0, count: Netlink.routeMessageLength)
        body[0] = family
        body[1] = UInt8(bytes.count * 8) // rtm_dst_len: a host route
        body += attribute(Netlink.routeAttributeDestination, bytes)
        return message(type: Netlink.getRoute, flags: Netlink.flagRequest, sequence: sequence, body)
    }

    /// RTM_GETNEIGH for one entry: (interface, address). Kernels since 4.20 answer a single get;
    /// ENOENT when the entry does not exist.
    static func neighbour(_ address: IPAddress, interfaceIndex: UInt32, sequence: UInt32) -> [UInt8] {
        let (family, bytes) = familyAndBytes(address)
        var body = [UInt8](repeating: 0, count: Netlink.neighbourMessageLength)
        body[0] = family
        put(interfaceIndex, into: &body, at: 4)
        body += attribute(Netlink.neighbourAttributeDestination, bytes)
        return message(type: Netlink.getNeighbour, flags: Netlink.flagRequest, sequence: sequence, body)
    }

    /// RTM_GETLINK for one interface.
    static func link(interfaceIndex: UInt32, sequence: UInt32) -> [UInt8] {
        var body = [UInt8](repeating: 0, count: Netlink.linkMessageLength)
        put(interfaceIndex, into: &body, at: 4)
        return message(type: Netlink.getLink, flags: Netlink.flagRequest, sequence: sequence, body)
    }

    static func familyAndBytes(_ address: IPAddress) -> (UInt8, [UInt8]) {
        switch address {
        case .v4(let v4): (Netlink.familyIPv4, v4.bytes)
        case .v6(let v6): (Netlink.familyIPv6, v6.bytes)
        }
    }

    static func message(type: UInt16, flags: UInt16, sequence: UInt32, _ body: [UInt8]) -> [UInt8] {
        var header = [UInt8](repeating: 0, count: Netlink.headerLength)
        put(UInt32(Netlink.headerLength + body.count), into: &header, at: 0)
        put(type, into: &header, at: 4)
        put(flags, into: &header, at: 6)
        put(sequence, into: &header, at: 8)
        return header + body
    }

    static func attribute(_ type: UInt16, _ value: [UInt8]) -> [UInt8] {
        var header = [UInt8](repeating: 0, count: Netlink.attributeHeaderLength)
        put(UInt16(Netlink.attributeHeaderLength + value.count), into: &header, at: 0)
        put(type, into: &header, at: 2)
        let padding = NetlinkParser.aligned(value.count) - value.count
        return header + value + [UInt8](repeating: 0, count: padding)
    }

    static func put(_ value: UInt32, into bytes: inout [UInt8], at offset: Int) {
        let host = value.littleEndian
        for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: host >> (8 * index)) }
    }

    static func put(_ value: UInt16, into bytes: inout [UInt8], at offset: Int) {
        let host = value.littleEndian
        for index in 0..<2 { bytes[offset + index] = UInt8(truncatingIfNeeded: host >> (8 * index)) }
    }
}
