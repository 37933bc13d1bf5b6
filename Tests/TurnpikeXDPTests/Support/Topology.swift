import STUNWire
import TurnpikeXDP

/// Addresses of the test network (198.18.0.0/15 and 2001:db8::/32 only) and the channel
/// bindings the fixtures run against.
enum Topology {
    static let serverV4 = IPAddress("198.18.1.1")!
    static let serverV6 = IPAddress("2001:db8:1::1")!
    static let clientV4 = IPAddress("198.18.1.2")!
    static let clientV6 = IPAddress("2001:db8:1::2")!
    /// A peer on the client-side link: traffic to it leaves by the interface it came in on.
    static let nearPeerV4 = IPAddress("198.18.1.3")!
    static let nearPeerV6 = IPAddress("2001:db8:1::3")!
    static let relayV4 = IPAddress("198.18.2.1")!
    static let relayV6 = IPAddress("2001:db8:2::1")!
    static let peerV4 = IPAddress("198.18.2.2")!
    static let peerV6 = IPAddress("2001:db8:2::2")!
    /// On the peer-side subnet but with no neighbour entry.
    static let unresolvedPeerV4 = IPAddress("198.18.2.9")!

    static let clientSideMAC: [UInt8] = [0x02, 0, 0, 0, 0x01, 0x01]
    static let clientMAC: [UInt8] = [0x02, 0, 0, 0, 0x01, 0x02]
    static let nearPeerMAC: [UInt8] = [0x02, 0, 0, 0, 0x01, 0x03]
    static let peerSideMAC: [UInt8] = [0x02, 0, 0, 0, 0x02, 0x01]
    static let peerMAC: [UInt8] = [0x02, 0, 0, 0, 0x02, 0x02]
    static let peerSideMTU = 1400

    static let listeningPort: UInt16 = 3478
    static let relayPorts: ClosedRange<UInt16> = 49152...65535
    static let configuration = XDPConfiguration(listeningPorts: [listeningPort], relayPorts: relayPorts)

    static func address(_ ip: IPAddress, _ port: UInt16) -> TransportAddress { TransportAddress(ip: ip, port: port) }

    static func route(client: IPAddress, clientPort: UInt16, channel: UInt16, relayed: IPAddress, relayPort: UInt16,
                      peer: IPAddress, peerPort: UInt16) -> XDPChannelRoute {
        let server = client.family == .ipv4 ? serverV4 : serverV6
        return XDPChannelRoute(client: address(client, clientPort), server: address(server, listeningPort),
                               channel: ChannelNumber(rawValue: channel),
                               relayed: address(relayed, relayPort), peer: address(peer, peerPort))
    }

    static let v4v4 = route(client: clientV4, clientPort: 40000, channel: 0x4000, relayed: relayV4, relayPort: 50000, peer: peerV4, peerPort: 60000)
    static let v6v6 = route(client: clientV6, clientPort: 40001, channel: 0x4001, relayed: relayV6, relayPort: 50001, peer: peerV6, peerPort: 60001)
    static let v4v6 = route(client: clientV4, clientPort: 40002, channel: 0x4002, relayed: relayV6, relayPort: 50002, peer: peerV6, peerPort: 60002)
    static let v6v4 = route(client: clientV6, clientPort: 40003, channel: 0x4003, relayed: relayV4, relayPort: 50003, peer: peerV4, peerPort: 60003)
    /// The peer is on the client's link: XDP_TX both ways.
    static let nearV4 = route(client: clientV4, clientPort: 40004, channel: 0x4004, relayed: serverV4, relayPort: 50004, peer: nearPeerV4, peerPort: 60004)
    static let nearV6 = route(client: clientV6, clientPort: 40014, channel: 0x4014, relayed: serverV6, relayPort: 50014, peer: nearPeerV6, peerPort: 60014)
    /// Two allocations on this server whose channels point at each other's relayed address.
    static let allocationA = route(client: clientV4, clientPort: 40005, channel: 0x4005, relayed: relayV4, relayPort: 50005, peer: relayV4, peerPort: 50006)
    static let allocationB = route(client: clientV6, clientPort: 40006, channel: 0x4006, relayed: relayV4, relayPort: 50006, peer: relayV4, peerPort: 50005)
    /// The peer is a local address that no allocation has bound back.
    static let localUnbound = route(client: clientV4, clientPort: 40007, channel: 0x4007, relayed: relayV4, relayPort: 50007, peer: relayV4, peerPort: 50099)
    /// The peer's link-layer address is unknown.
    static let unresolved = route(client: clientV4, clientPort: 40008, channel: 0x4008, relayed: relayV4, relayPort: 50008, peer: unresolvedPeerV4, peerPort: 60008)

    static let routes = [v4v4, v6v6, v4v6, v6v4, nearV4, nearV6, allocationA, allocationB, localUnbound, unresolved]
}
