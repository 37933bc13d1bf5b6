import STUNWire
import Testing
@testable import TurnpikeXDP

/// The resolver's decisions without sockets: what turnpike_egress_routes must hold after each
/// reply and notification.
@Suite struct EgressTableTests {
    typealias B = NetlinkBuilder
    static let peer = IPAddress("198.18.2.2")!
    static let farPeer = IPAddress("198.18.9.9")!
    static let gateway = IPAddress("198.18.2.254")!
    static let sideMAC: [UInt8] = [2, 0, 0, 0, 2, 1]
    static let peerMAC: [UInt8] = [2, 0, 0, 0, 2, 2]
    static let newPeerMAC: [UInt8] = [2, 0, 0, 0, 2, 0x22]
    static let gatewayMAC: [UInt8] = [2, 0, 0, 0, 2, 0xfe]

    static func route(oif: UInt32 = 4, gateway: IPAddress? = nil, type: UInt8 = 1, mtu: UInt32? = nil) -> NetlinkRoute {
        NetlinkRoute(family: 2, routeType: type, outputInterface: oif, gateway: gateway, mtu: mtu)
    }

    static func link(_ index: UInt32 = 4, mtu: UInt32 = 1400, address: [UInt8] = sideMAC, type: UInt16 = 1,
                     deleted: Bool = false) -> NetlinkLink {
        NetlinkLink(deleted: deleted, interfaceIndex: index, hardwareType: type, address: address, mtu: mtu)
    }

    static func neighbour(_ address: IPAddress = peer, mac: [UInt8]? = peerMAC, state: UInt16 = 0x02,
                          deleted: Bool = false, index: UInt32 = 4) -> NetlinkNeighbour {
        NetlinkNeighbour(deleted: deleted, interfaceIndex: index, state: state, destination: address, linkAddress: mac)
    }

    static func notification(_ body: NetlinkMessage.Body) -> NetlinkMessage {
        NetlinkMessage(type: 0, flags: 0, sequence: 0, body: body)
    }

    static let peerEgress = XDPEgress(interfaceIndex: 4, sourceMAC: sideMAC, nextHopMAC: peerMAC, mtu: 1400)

    /// A table with `peer` resolved on-link on interface 4.
    static func resolvedTable() -> EgressTable {
        var table = EgressTable(capacity: 8)
        let isNew = table.retain(peer)
        #expect(isNew)
        let changes = table.resolved(peer, route: route(), link: link(), neighbour: neighbour())
        #expect(changes == [.write(peer, peerEgress)])
        return table
    }

    @Test func onLinkDestination() {
        let table = Self.resolvedTable()
        #expect(table.written == [Self.peer: Self.peerEgress])
        #expect(table.unresolvedCounts.isEmpty)
    }

    @Test func gatewayRouteUsesTheGatewaysMACAndTheLowerMTU() {
        var table = EgressTable(capacity: 8)
        let isNew = table.retain(Self.farPeer)
        #expect(isNew)
        let changes = table.resolved(Self.farPeer, route: Self.route(gateway: Self.gateway, mtu: 1300), link: Self.link(),
                                     neighbour: Self.neighbour(Self.gateway, mac: Self.gatewayMAC))
        #expect(changes == [.write(Self.farPeer, XDPEgress(interfaceIndex: 4, sourceMAC: Self.sideMAC,
                                                          nextHopMAC: Self.gatewayMAC, mtu: 1300))])
    }

    @Test func sharedDestinationsAreCountedAndGoWithTheLastUser() {
        var table = Self.resolvedTable()
        let isNew = table.retain(Self.peer)
        #expect(!isNew, "known already: no new lookup")
        let firstRelease = table.release(Self.peer)
        #expect(firstRelease.isEmpty)
        let lastRelease = table.release(Self.peer)
        #expect(lastRelease == [.remove(Self.peer)])
        #expect(table.destinationCount == 0)
        let unknownRelease = table.release(Self.peer)
        #expect(unknownRelease.isEmpty, "releasing an unknown destination does nothing")
    }

    @Test(arguments: [
        (UInt16(0x02), true), (0x04, true), (0x08, true), (0x10, true), (0x80, true),
        (0x01, false), (0x20, false), (0x00, false), (0x40, false),
    ])
    func neighbourStates(state: UInt16, usable: Bool) {
        var table = EgressTable(capacity: 8)
        _ = table.retain(Self.peer)
        let changes = table.resolved(Self.peer, route: Self.route(), link: Self.link(), neighbour: Self.neighbour(state: state))
        #expect(changes == (usable ? [.write(Self.peer, Self.peerEgress)] : []))
        if !usable { #expect(table.unresolvedCounts == [.noNeighbour: 1]) }
    }

    @Test func neighbourChangesAreFollowed() {
        var table = Self.resolvedTable()
        // The next hop's MAC changes (ip neigh replace): the entry follows.
        var result = table.apply(Self.notification(.neighbour(Self.neighbour(mac: Self.newPeerMAC))))
        var moved = Self.peerEgress
        moved.nextHopMAC = Self.newPeerMAC
        #expect(result.changes == [.write(Self.peer, moved)])
        #expect(result.resolveAgain.isEmpty)
        // The same again: nothing to write.
        result = table.apply(Self.notification(.neighbour(Self.neighbour(mac: Self.newPeerMAC, state: 0x04))))
        #expect(result.changes.isEmpty)
        // Failed, then deleted: the entry goes; reachable again: it comes back.
        result = table.apply(Self.notification(.neighbour(Self.neighbour(mac: nil, state: 0x20))))
        #expect(result.changes == [.remove(Self.peer)])
        result = table.apply(Self.notification(.neighbour(Self.neighbour(deleted: true))))
        #expect(result.changes.isEmpty)
        result = table.apply(Self.notification(.neighbour(Self.neighbour())))
        #expect(result.changes == [.write(Self.peer, Self.peerEgress)])
        // A neighbour no destination uses, or one on another interface, changes nothing.
        let otherHop = table.apply(Self.notification(.neighbour(Self.neighbour(Self.gateway))))
        #expect(otherHop.changes.isEmpty)
        let otherInterface = table.apply(Self.notification(.neighbour(Self.neighbour(index: 5))))
        #expect(otherInterface.changes.isEmpty)
    }

    @Test func neighbourResolvedLaterIsPickedUp() {
        var table = EgressTable(capacity: 8)
        _ = table.retain(Self.peer)
        let withoutNeighbour = table.resolved(Self.peer, route: Self.route(), link: Self.link(), neighbour: nil)
        #expect(withoutNeighbour.isEmpty)
        let learned = table.apply(Self.notification(.neighbour(Self.neighbour())))
        #expect(learned.changes == [.write(Self.peer, Self.peerEgress)])
    }

    @Test func linkChangesAreFollowed() {
        var table = Self.resolvedTable()
        var result = table.apply(Self.notification(.link(Self.link(mtu: 9000))))
        var bigger = Self.peerEgress
        bigger.mtu = 9000
        #expect(result.changes == [.write(Self.peer, bigger)])
        // An interface of no destination changes nothing.
        let otherLink = table.apply(Self.notification(.link(Self.link(9, mtu: 1280))))
        #expect(otherLink.changes.isEmpty)
        // The interface goes: the entry goes and the route is looked up again.
        result = table.apply(Self.notification(.link(Self.link(deleted: true))))
        #expect(result.changes == [.remove(Self.peer)])
        #expect(result.resolveAgain == [Self.peer])
    }

    @Test func routeChangesResolveEverythingAgain() {
        var table = Self.resolvedTable()
        _ = table.retain(Self.farPeer)
        let changed = table.apply(Self.notification(.route(NetlinkRoute(family: 2, routeType: 1))))
        #expect(changed.changes.isEmpty)
        #expect(Set(changed.resolveAgain) == [Self.peer, Self.farPeer])
        let cloned = table.apply(Self.notification(.route(NetlinkRoute(family: 2, routeType: 1, routeFlags: 0x200))))
        #expect(cloned.resolveAgain.isEmpty, "a routing cache entry is no table change")
        // The new lookup says unreachable: the entry goes.
        let unreachable = table.resolved(Self.peer, route: Self.route(type: 7), link: nil, neighbour: nil)
        #expect(unreachable == [.remove(Self.peer)])
        #expect(table.unresolvedCounts[.notForwardable] == 1)
    }

    @Test(arguments: [
        ("local", route(type: 2), link()),
        ("no output interface", NetlinkRoute(family: 2, routeType: 1), link()),
        ("not Ethernet", route(), link(address: [], type: 65534)),
        ("another interface's reply", route(), link(5)),
    ] as [(String, NetlinkRoute, NetlinkLink)])
    func nothingTheProgramCanFollow(_ name: String, route: NetlinkRoute, link: NetlinkLink) {
        var table = EgressTable(capacity: 8)
        _ = table.retain(Self.peer)
        let changes = table.resolved(Self.peer, route: route, link: link, neighbour: Self.neighbour())
        #expect(changes.isEmpty, "\(name)")
        #expect(table.written.isEmpty)
    }

    @Test func capacityBoundsTheDestinations() {
        var table = EgressTable(capacity: 1)
        let first = table.retain(Self.peer)
        #expect(first)
        let second = table.retain(Self.farPeer)
        #expect(!second)
        #expect(table.destinationCount == 1)
        let overCapacity = table.resolved(Self.farPeer, route: Self.route(), link: Self.link(), neighbour: Self.neighbour())
        #expect(overCapacity.isEmpty)
    }
}
