@testable import TurnpikeXDP

/// Hand-built rtnetlink messages (host byte order, as the kernel sends them) for the parser and
/// table tests.
enum NetlinkBuilder {
    static func message(type: UInt16, flags: UInt16 = 0, sequence: UInt32 = 0, _ body: [UInt8]) -> [UInt8] {
        let bytes = NetlinkRequest.message(type: type, flags: flags, sequence: sequence, body)
        return bytes + [UInt8](repeating: 0, count: NetlinkParser.aligned(bytes.count) - bytes.count)
    }

    static func attribute(_ type: UInt16, _ value: [UInt8]) -> [UInt8] { NetlinkRequest.attribute(type, value) }

    static func u32(_ value: UInt32) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 4)
        NetlinkRequest.put(value, into: &bytes, at: 0)
        return bytes
    }

    static func u16(_ value: UInt16) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 2)
        NetlinkRequest.put(value, into: &bytes, at: 0)
        return bytes
    }

    /// RTM_NEWROUTE (or DELROUTE) with rtmsg fields and attributes.
    static func route(family: UInt8 = 2, type routeType: UInt8 = 1, flags: UInt32 = 0, deleted: Bool = false,
                      sequence: UInt32 = 0, _ attributes: [UInt8]) -> [UInt8] {
        let rtmsg: [UInt8] = [family, family == 2 ? 32 : 128, 0, 0, 254, 3, 0, routeType] + u32(flags)
        return message(type: deleted ? 25 : 24, sequence: sequence, rtmsg + attributes)
    }

    /// RTM_NEWNEIGH (or DELNEIGH).
    static func neighbour(family: UInt8 = 2, interfaceIndex: UInt32, state: UInt16, deleted: Bool = false,
                          _ attributes: [UInt8]) -> [UInt8] {
        let ndmsg: [UInt8] = [family, 0, 0, 0] + u32(interfaceIndex) + u16(state) + [0, 1]
        return message(type: deleted ? 29 : 28, ndmsg + attributes)
    }

    /// RTM_NEWLINK (or DELLINK), Ethernet unless `hardwareType` says otherwise.
    static func link(interfaceIndex: UInt32, hardwareType: UInt16 = 1, deleted: Bool = false, _ attributes: [UInt8]) -> [UInt8] {
        let ifinfomsg: [UInt8] = [0, 0] + u16(hardwareType) + u32(interfaceIndex) + u32(0x1003) + u32(0)
        return message(type: deleted ? 17 : 16, ifinfomsg + attributes)
    }
}
