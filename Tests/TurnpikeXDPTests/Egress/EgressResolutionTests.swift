import STUNWire
import Testing
import TurnpikeXDP

/// The egress resolver against a real namespace (forwarding off): what it writes for the
/// topology's routes, and how it follows a neighbour whose MAC changes while frames cross the
/// relay in the kernel.
@Suite(.enabled(if: Privilege.canLoadXDP, Privilege.skipMessage), .testBedWithHosts, .serialized)
struct EgressResolutionTests {
    typealias T = Topology

    @Test func topologyIsResolved() throws {
        let bed = try TestBed.require()
        let program = bed.program
        #expect(try program.egress(for: T.peerV4) == XDPEgress(interfaceIndex: bed.peerSideIndex, sourceMAC: T.peerSideMAC,
                                                                nextHopMAC: T.peerMAC, mtu: UInt16(T.peerSideMTU)))
        #expect(try program.egress(for: T.peerV6) == XDPEgress(interfaceIndex: bed.peerSideIndex, sourceMAC: T.peerSideMAC,
                                                                nextHopMAC: T.peerMAC, mtu: UInt16(T.peerSideMTU)))
        #expect(try program.egress(for: T.clientV6) == XDPEgress(interfaceIndex: bed.clientSideIndex, sourceMAC: T.clientSideMAC,
                                                                  nextHopMAC: T.clientMAC, mtu: 1500))
        // Local (another allocation's relayed address) and unresolved neighbours get no entry.
        #expect(try program.egress(for: T.relayV4) == nil)
        #expect(try program.egress(for: T.unresolvedPeerV4) == nil)
        let resolution = try #require(program.egressResolution)
        #expect(resolution.unresolved[.notForwardable] == 1)
        #expect(resolution.unresolved[.noNeighbour] == 1)
        #expect(resolution.requestFailures == 0)
    }

    /// A next hop the kernel learns later (as it does once userspace sends there) gets its entry
    /// from the notification; when the neighbour goes, so does the entry.
    @Test func neighbourLearnedLaterAndForgotten() throws {
        let bed = try TestBed.require()
        let network = bed.network
        let mac: [UInt8] = [0x02, 0, 0, 0, 0x02, 0x09]
        #expect(try bed.program.egress(for: T.unresolvedPeerV4) == nil)
        defer { _ = try? Shell.run(["ip", "-n", network.name, "neigh", "del", "\(T.unresolvedPeerV4)", "dev", network.peerInterface]) }
        try Shell.run(["ip", "-n", network.name, "neigh", "replace", "\(T.unresolvedPeerV4)", "lladdr", mac.macText,
                       "dev", network.peerInterface, "nud", "reachable"])
        try XDPProgramTests.waitUntil { try bed.program.egress(for: T.unresolvedPeerV4)?.nextHopMAC == mac }
        try Shell.run(["ip", "-n", network.name, "neigh", "del", "\(T.unresolvedPeerV4)", "dev", network.peerInterface])
        try XDPProgramTests.waitUntil { try bed.program.egress(for: T.unresolvedPeerV4) == nil }
    }

    /// The peer's MAC changes (a new NIC, a failover): the kernel's neighbour entry is replaced,
    /// the map follows, and the kernel keeps relaying to the new MAC; then back again.
    @Test func neighbourChangeIsFollowed() throws {
        let bed = try TestBed.require()
        let network = bed.network
        let peerNamespace = try #require(network.peerNamespace)
        let route = T.v4v4
        let newMAC: [UInt8] = [0x02, 0, 0, 0, 0x02, 0x42]
        defer { _ = try? Self.movePeer(to: T.peerMAC, network: network, namespace: peerNamespace) }
        for mac in [newMAC, T.peerMAC] {
            try Self.movePeer(to: mac, network: network, namespace: peerNamespace)
            try XDPProgramTests.waitUntil { try bed.program.egress(for: T.peerV4)?.nextHopMAC == mac }
            try XDPProgramTests.waitUntil { try bed.program.egress(for: T.peerV6)?.nextHopMAC == mac }

            let receiver = try network.run(in: peerNamespace) { try UDPReceiver(boundTo: route.peer) }
            let before = try #require(try bed.program.counters(for: route))
            let data = PacketBuilder.data(200, seed: mac[5])
            let frame = PacketBuilder(source: route.client, destination: route.server,
                                      payload: PacketBuilder.channelData(route.channel.rawValue, data))
                .frame(from: T.clientMAC, to: T.clientSideMAC)
            let index = try network.index(of: network.clientPeerInterface, in: network.clientNamespace)
            try network.run(in: network.clientNamespace) { try Sockets.sendFrame(frame, interfaceIndex: index) }
            let received = try #require(receiver.receive(), "nothing arrived at the peer with MAC \(mac)")
            #expect(received.payload == data)
            let after = try #require(try bed.program.counters(for: route))
            #expect(after.toPeerPackets == before.toPeerPackets + 1, "relayed by the kernel")
        }
    }

    /// The peer's veth takes `mac` and the relay's (permanent) neighbour entries say so.
    static func movePeer(to mac: [UInt8], network: TestNetwork, namespace: String) throws {
        try Shell.run(["ip", "-n", namespace, "link", "set", network.peerPeerInterface, "address", mac.macText])
        for address in [T.peerV4, T.peerV6] {
            try Shell.run(["ip", "-n", network.name, "neigh", "replace", "\(address)", "lladdr", mac.macText,
                           "dev", network.peerInterface, "nud", "permanent"])
        }
    }
}
