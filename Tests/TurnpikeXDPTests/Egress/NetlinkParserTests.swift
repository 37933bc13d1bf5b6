import STUNWire
import Testing
@testable import TurnpikeXDP

@Suite struct NetlinkParserTests {
    typealias B = NetlinkBuilder

    /// `ip route get 127.0.0.1` as this kernel answered it (captured): RTN_LOCAL, cloned, with
    /// RTA_TABLE, RTA_DST, RTA_OIF, RTA_PREFSRC, RTA_UID and RTA_CACHEINFO.
    static let capturedLocalRoute: [UInt8] = hex(
        "680000001800000007000000b67f000002200000fe0000020002008008000f00fe000000080001007f000001"
            + "0800040001000000080007007f000001080019000000000024000c0004000000e77e0200000000000000000000000000000000000000000000000000")

    static func hex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            bytes.append(UInt8(text[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }

    @Test func capturedRouteReply() throws {
        let messages = try NetlinkParser.parse(Self.capturedLocalRoute)
        #expect(messages.count == 1)
        let message = try #require(messages.first)
        #expect(message.type == 24)
        #expect(message.sequence == 7)
        guard case .route(let route) = message.body else { Issue.record("not a route: \(message.body)"); return }
        #expect(route.family == 2)
        #expect(route.routeType == 2) // RTN_LOCAL
        #expect(route.destination == IPAddress("127.0.0.1"))
        #expect(route.outputInterface == 1)
        #expect(route.gateway == nil)
        #expect(route.table == 254)
        #expect(EgressTable.followable(route, destination: IPAddress("127.0.0.1")!) == nil, "local: not forwardable")
    }

    @Test func gatewayRouteWithMTUMetric() throws {
        let metrics = B.attribute(2, B.u32(1280)) // RTAX_MTU
        let datagram = B.route(family: 10, sequence: 3, B.attribute(1, IPAddress("2001:db8:9::1")!.bytes)
            + B.attribute(5, IPAddress("fe80::1")!.bytes) + B.attribute(4, B.u32(7)) + B.attribute(8 | 0x8000, metrics))
        let messages = try NetlinkParser.parse(datagram)
        guard case .route(let route) = messages.first?.body else { Issue.record("no route"); return }
        #expect(route.gateway == IPAddress("fe80::1"))
        #expect(route.outputInterface == 7)
        #expect(route.mtu == 1280)
        let followable = EgressTable.followable(route, destination: IPAddress("2001:db8:9::1")!)
        #expect(followable == EgressTable.Route(interfaceIndex: 7, nextHop: IPAddress("fe80::1")!, mtu: 1280))
    }

    @Test func viaAndEncapsulationAreNotFollowed() throws {
        let via = B.route(B.attribute(18, [10, 0] + IPAddress("fe80::1")!.bytes) + B.attribute(4, B.u32(2)))
        guard case .route(let route) = try NetlinkParser.parse(via).first?.body else { Issue.record("no route"); return }
        #expect(route.unsupportedNextHop)
        #expect(EgressTable.followable(route, destination: IPAddress("198.18.3.3")!) == nil)
    }

    @Test func neighbourAndLink() throws {
        let mac: [UInt8] = [2, 0, 0, 0, 2, 2]
        let datagram = B.neighbour(interfaceIndex: 4, state: 0x02, B.attribute(1, [198, 18, 2, 2]) + B.attribute(2, mac))
            + B.link(interfaceIndex: 4, B.attribute(3, Array("tpp1\0".utf8)) + B.attribute(1, mac) + B.attribute(4, B.u32(1400)))
        let messages = try NetlinkParser.parse(datagram)
        #expect(messages.count == 2)
        #expect(messages.first?.body == .neighbour(NetlinkNeighbour(interfaceIndex: 4, state: 0x02,
                                                                     destination: IPAddress("198.18.2.2"), linkAddress: mac)))
        #expect(messages.last?.body == .link(NetlinkLink(interfaceIndex: 4, hardwareType: 1, interfaceFlags: 0x1003,
                                                         address: mac, mtu: 1400, name: "tpp1")))
    }

    @Test func errorsAndDone() throws {
        let error = B.message(type: 2, sequence: 9, B.u32(UInt32(bitPattern: -2)) + [UInt8](repeating: 0, count: 16))
        let done = B.message(type: 3, sequence: 9, B.u32(0))
        let messages = try NetlinkParser.parse(error + done)
        #expect(messages.map(\.body) == [.error(-2), .done])
        #expect(try NetlinkParser.parse([]).isEmpty)
    }

    @Test func bridgeNeighboursCarryNoAddress() throws {
        // AF_BRIDGE (7) FDB entries share RTM_NEWNEIGH; NDA_DST there is not an IP address.
        let datagram = B.neighbour(family: 7, interfaceIndex: 4, state: 0x80, B.attribute(1, [1, 2, 3]))
        guard case .neighbour(let neighbour) = try NetlinkParser.parse(datagram).first?.body else {
            Issue.record("no neighbour"); return
        }
        #expect(neighbour.destination == nil)
    }

    @Test(arguments: [
        ("header shorter than 16 bytes", [UInt8](repeating: 0, count: 15)),
        ("length below the header", B.u32(8) + [UInt8](repeating: 0, count: 12)),
        ("length past the datagram", B.u32(200) + [UInt8](repeating: 0, count: 12)),
        ("rtmsg cut short", B.message(type: 24, [2, 32, 0])),
        ("attribute past its message", B.message(type: 24, [UInt8](repeating: 0, count: 12) + B.u16(40) + B.u16(1) + [1, 2, 3, 4])),
        ("attribute length below its header", B.message(type: 28, [UInt8](repeating: 0, count: 12) + B.u16(2) + B.u16(1))),
        ("IPv4 RTA_DST of 5 bytes", B.route(B.attribute(1, [1, 2, 3, 4, 5]))),
        ("RTA_OIF of 2 bytes", B.route(B.attribute(4, [1, 0]))),
        ("NLMSG_ERROR without its code", B.message(type: 2, [0, 0])),
    ] as [(String, [UInt8])])
    func malformedIsRejected(_ name: String, _ datagram: [UInt8]) {
        #expect(throws: NetlinkParseError.self, "\(name)") { try NetlinkParser.parse(datagram) }
    }

    /// Every prefix and every single-byte corruption of valid datagrams parses or throws; none traps.
    @Test func totalOnCutsAndCorruptions() {
        let valid = Self.capturedLocalRoute
            + B.neighbour(interfaceIndex: 4, state: 0x02, B.attribute(1, [198, 18, 2, 2]) + B.attribute(2, [2, 0, 0, 0, 2, 2]))
        #expect((try? NetlinkParser.parse(valid))?.count == 2)
        for cut in 0...valid.count { _ = try? NetlinkParser.parse(Array(valid[0..<cut])) }
        for index in valid.indices {
            for value: UInt8 in [0, 1, 3, 0x7f, 0xff] {
                var corrupted = valid
                corrupted[index] = value
                _ = try? NetlinkParser.parse(corrupted)
            }
        }
    }
}
