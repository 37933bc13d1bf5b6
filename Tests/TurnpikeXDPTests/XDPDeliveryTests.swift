import STUNWire
import Testing
import TurnpikeXDP

/// Real frames across the relay: the program attached in native mode to both relay interfaces,
/// the client and the peer in namespaces of their own. A frame sent by the client (or the peer)
/// must arrive at the other's UDP socket with the right payload and source; the receiving kernel
/// verifies the checksums (a bad one is dropped, and the receive times out). No userspace relays
/// anything here: the kernel counters must account for every packet.
@Suite(.enabled(if: Privilege.canLoadXDP, Privilege.skipMessage), .testBedWithHosts, .serialized)
struct XDPDeliveryTests {
    static let routes = [Topology.v4v4, Topology.v6v6, Topology.v4v6, Topology.v6v4]

    @Test(arguments: routes)
    func clientToPeer(route: XDPChannelRoute) throws {
        let bed = try TestBed.require()
        let network = bed.network
        let data = PacketBuilder.data(333, seed: UInt8(truncatingIfNeeded: route.channel.rawValue))
        let receiver = try network.run(in: network.peerNamespace) { try UDPReceiver(boundTo: route.peer) }
        let before = try #require(try bed.program.counters(for: route))

        let frame = PacketBuilder(source: route.client, destination: route.server,
                                  payload: PacketBuilder.channelData(route.channel.rawValue, data, padding: 3))
            .frame(from: Topology.clientMAC, to: Topology.clientSideMAC)
        let index = try network.index(of: network.clientPeerInterface, in: network.clientNamespace)
        try network.run(in: network.clientNamespace) { try Sockets.sendFrame(frame, interfaceIndex: index) }

        let received = try #require(receiver.receive(), "nothing arrived at the peer")
        #expect(received.payload == data)
        #expect(received.source == route.relayed)
        let after = try #require(try bed.program.counters(for: route))
        #expect(after.toPeerPackets == before.toPeerPackets + 1)
        #expect(after.toPeerBytes == before.toPeerBytes + UInt64(data.count))
    }

    @Test(arguments: routes)
    func peerToClient(route: XDPChannelRoute) throws {
        let bed = try TestBed.require()
        let network = bed.network
        let data = PacketBuilder.data(501, seed: 3)
        let receiver = try network.run(in: network.clientNamespace) { try UDPReceiver(boundTo: route.client) }
        let before = try #require(try bed.program.counters(for: route))

        let frame = PacketBuilder(source: route.peer, destination: route.relayed, payload: data)
            .frame(from: Topology.peerMAC, to: Topology.peerSideMAC)
        let index = try network.index(of: network.peerPeerInterface, in: network.peerNamespace)
        try network.run(in: network.peerNamespace) { try Sockets.sendFrame(frame, interfaceIndex: index) }

        let received = try #require(receiver.receive(), "nothing arrived at the client")
        #expect(received.payload == PacketBuilder.channelData(route.channel.rawValue, data))
        #expect(received.source == route.server)
        let after = try #require(try bed.program.counters(for: route))
        #expect(after.toClientPackets == before.toClientPackets + 1)
        #expect(after.toClientBytes == before.toClientBytes + UInt64(data.count))
    }
}
