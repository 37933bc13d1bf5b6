import Logging
import STUNWire
import Testing
import TURNCore
@testable import TURNServer
import TurnpikeXDP

/// Which channel routes the server hands to the kernel, and how the kernel's counters are merged
/// into allocations. Loading the program needs root; the end-to-end test covers that
/// (Tests/TurnpikeXDPTests/EndToEnd).
struct XDPDatapathTests {
    static let client = TransportAddress("198.18.1.2:40000")!
    static let server = TransportAddress("198.18.1.1:3478")!
    static let relayed = TransportAddress("198.18.2.1:50000")!
    static let peer = TransportAddress("198.18.2.2:60000")!

    static func route(transport: ClientTransport = .udp, server: TransportAddress = server, relayed: TransportAddress = relayed) -> ChannelRoute {
        ChannelRoute(
            allocation: AllocationID(rawValue: 1), fiveTuple: FiveTuple(client: client, server: server, transport: transport),
            channel: ChannelNumber(rawValue: 0x4000), relayed: relayed, peer: peer)
    }

    @Test func aUDPChannelOnSpecificAddressesTakesTheFastPath() throws {
        let mapped = try #require(XDPDatapath.fastPathRoute(Self.route()))
        #expect(mapped.client == Self.client)
        #expect(mapped.server == Self.server)
        #expect(mapped.relayed == Self.relayed)
        #expect(mapped.peer == Self.peer)
        #expect(mapped.channel == ChannelNumber(rawValue: 0x4000))
    }

    @Test(arguments: [ClientTransport.tcp, .tls])
    func streamClientsStayInUserspace(transport: ClientTransport) {
        #expect(XDPDatapath.fastPathRoute(Self.route(transport: transport)) == nil)
    }

    @Test func wildcardListenersAndRelayAddressesStayInUserspace() {
        #expect(XDPDatapath.fastPathRoute(Self.route(server: TransportAddress("0.0.0.0:3478")!)) == nil)
        #expect(XDPDatapath.fastPathRoute(Self.route(server: TransportAddress("[::]:3478")!)) == nil)
        #expect(XDPDatapath.fastPathRoute(Self.route(relayed: TransportAddress("0.0.0.0:50000")!)) == nil)
    }

    @Test func withoutTheProgramRoutesAreRememberedAndNothingIsCounted() {
        let datapath = XDPDatapath(configuration: .init(mode: .auto, interfaces: []), logger: Logger(label: "test"))
        datapath.install(Self.route())
        datapath.install(Self.route(transport: .tcp))
        #expect(datapath.lock.withLock { datapath.state.routes.count } == 1)
        datapath.poll()
        let statistics = datapath.statistics
        #expect(!statistics.loaded)
        #expect(statistics.relayed == TrafficCounters())
        datapath.remove(Self.route())
        #expect(datapath.lock.withLock { datapath.state.routes.isEmpty })
    }

    @Test func kernelCountersMergeAsDeltasPerAllocation() {
        let datapath = XDPDatapath(configuration: .init(mode: .auto, interfaces: []), logger: Logger(label: "test"))
        let route = Self.route()
        datapath.lock.withLock {
            datapath.mergeLocked(route, .init(toPeerPackets: 3, toPeerBytes: 300, toClientPackets: 1, toClientBytes: 10))
            datapath.mergeLocked(route, .init(toPeerPackets: 5, toPeerBytes: 500, toClientPackets: 1, toClientBytes: 10))
        }
        let traffic = datapath.allocationTraffic(route.allocation, fiveTuple: route.fiveTuple)
        #expect(traffic.packetsToPeer == 5)
        #expect(traffic.bytesToPeer == 500)
        #expect(traffic.packetsToClient == 1)
        #expect(traffic.bytesToClient == 10)
        #expect(datapath.statistics.relayed == traffic)
        // A route index reused from zero (counters went down) counts from its new start.
        datapath.lock.withLock { datapath.mergeLocked(route, .init(toPeerPackets: 2, toPeerBytes: 20)) }
        #expect(datapath.allocationTraffic(route.allocation, fiveTuple: route.fiveTuple).packetsToPeer == 7)
        datapath.forgetAllocation(route.allocation, fiveTuple: route.fiveTuple)
        #expect(datapath.allocationTraffic(route.allocation, fiveTuple: route.fiveTuple) == TrafficCounters())
    }
}
