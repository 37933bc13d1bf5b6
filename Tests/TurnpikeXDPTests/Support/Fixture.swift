import STUNWire
import Testing
import TurnpikeXDP

/// One row of the program's fixture table (after Katran's): a frame, the interface it arrives
/// on, the reason (and so the verdict) expected, and the exact frame expected out — nil when the
/// packet must leave the program untouched (every PASS and DROP).
struct Fixture: Sendable, CustomTestStringConvertible {
    enum Side: Sendable {
        case clientSide
        case peerSide
    }

    var description: String
    var ingress: Side
    var input: [UInt8]
    var reason: String
    var expected: [UInt8]?

    var testDescription: String { description }
}

/// How a fixture's input datagram is shaped, beyond its addresses and payload.
struct Shape {
    var tos: UInt8 = 0xB9 // DSCP EF (46) and ECN ECT(1): both must be carried over
    var ttl: UInt8 = 64
    var dontFragment = true
    var checksum = PacketBuilder.UDPChecksum.computed
}

extension Fixture {
    /// The MACs the FIB hands out for a next hop.
    static func egress(to destination: IPAddress) -> (source: [UInt8], destination: [UInt8]) {
        switch destination {
        case Topology.clientV4, Topology.clientV6: (Topology.clientSideMAC, Topology.clientMAC)
        case Topology.nearPeerV4, Topology.nearPeerV6: (Topology.clientSideMAC, Topology.nearPeerMAC)
        default: (Topology.peerSideMAC, Topology.peerMAC)
        }
    }

    static func ingressMACs(from source: IPAddress) -> (source: [UInt8], destination: [UInt8], side: Side) {
        switch source {
        case Topology.clientV4, Topology.clientV6: (Topology.clientMAC, Topology.clientSideMAC, .clientSide)
        case Topology.nearPeerV4, Topology.nearPeerV6: (Topology.nearPeerMAC, Topology.clientSideMAC, .clientSide)
        default: (Topology.peerMAC, Topology.peerSideMAC, .peerSide)
        }
    }

    /// A frame arriving with `payload` from `source` to `destination`.
    static func frame(_ source: TransportAddress, _ destination: TransportAddress, _ payload: [UInt8],
                      shape: Shape = Shape(), identification: UInt16 = 0x1234) -> (frame: [UInt8], side: Side) {
        let macs = ingressMACs(from: source.ip)
        var builder = PacketBuilder(source: source, destination: destination, payload: payload)
        builder.tos = shape.tos
        builder.ttl = shape.ttl
        builder.dontFragment = shape.dontFragment
        builder.checksum = shape.checksum
        builder.identification = identification
        return (builder.frame(from: macs.source, to: macs.destination), macs.side)
    }

    /// The frame the program must send for an input of `shape` and family `inputFamily`
    /// (RFC 8656 §13: TTL - 1, DSCP and ECN kept, DF kept from IPv4 and set from IPv6).
    static func relayed(_ source: TransportAddress, _ destination: TransportAddress, _ payload: [UInt8],
                        shape: Shape, inputFamily: AddressFamily) -> [UInt8] {
        let macs = egress(to: destination.ip)
        var builder = PacketBuilder(source: source, destination: destination, payload: payload)
        builder.tos = shape.tos
        builder.ttl = shape.ttl - 1
        builder.dontFragment = inputFamily == .ipv4 ? shape.dontFragment : true
        builder.identification = inputFamily == .ipv4 ? 0x1234 : 0
        builder.checksum = shape.checksum == .zero ? .zero : .computed
        return builder.frame(from: macs.source, to: macs.destination)
    }

    /// Client → peer over `route`: ChannelData in, the bare data out.
    static func clientToPeer(_ description: String, _ route: XDPChannelRoute, data: [UInt8], padding: Int = 0,
                             shape: Shape = Shape(), reason: String? = nil, relays: Bool = true) -> Fixture {
        let input = frame(route.client, route.server, PacketBuilder.channelData(route.channel.rawValue, data, padding: padding), shape: shape)
        let out = route.peer.ip == Fixture.egressNear(route.peer.ip) ? "tx_to_peer" : "redirect_to_peer"
        return Fixture(description: description, ingress: input.side, input: input.frame, reason: reason ?? out,
                       expected: relays ? relayed(route.relayed, route.peer, data, shape: shape, inputFamily: route.client.family) : nil)
    }

    /// Peer → client over `route`: bare data in, ChannelData out.
    static func peerToClient(_ description: String, _ route: XDPChannelRoute, data: [UInt8],
                             shape: Shape = Shape(), reason: String? = nil, relays: Bool = true) -> Fixture {
        let input = frame(route.peer, route.relayed, data, shape: shape)
        let out = input.side == .clientSide ? "tx_to_client" : "redirect_to_client"
        return Fixture(description: description, ingress: input.side, input: input.frame, reason: reason ?? out,
                       expected: relays ? relayed(route.server, route.client, PacketBuilder.channelData(route.channel.rawValue, data),
                                                  shape: shape, inputFamily: route.peer.family) : nil)
    }

    /// A frame the program must pass (or drop) untouched.
    static func untouched(_ description: String, _ frame: (frame: [UInt8], side: Side), reason: String) -> Fixture {
        Fixture(description: description, ingress: frame.side, input: frame.frame, reason: reason, expected: nil)
    }

    /// The near peer's addresses are the ones reached through the ingress interface.
    static func egressNear(_ ip: IPAddress) -> IPAddress? {
        ip == Topology.nearPeerV4 || ip == Topology.nearPeerV6 ? ip : nil
    }
}
