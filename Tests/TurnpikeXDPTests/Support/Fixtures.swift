import STUNWire
import TurnpikeXDP

/// The fixture table: every direction × family pair, bound and unbound, padded and odd-length
/// ChannelData, what the program must hand to the kernel untouched, and what it must drop.
enum Fixtures {
    typealias T = Topology
    static let data100 = PacketBuilder.data(100)
    static let data101 = PacketBuilder.data(101, seed: 9)

    static var all: [Fixture] { relayed + passed + dropped + limits }

    static var relayed: [Fixture] {
        [
            .clientToPeer("client→peer IPv4→IPv4", T.v4v4, data: data100),
            .clientToPeer("client→peer IPv4→IPv4, odd length, 3 bytes padding", T.v4v4, data: data101, padding: 3),
            .clientToPeer("client→peer IPv4→IPv4, 2 bytes padding", T.v4v4, data: PacketBuilder.data(98), padding: 2),
            .clientToPeer("client→peer IPv4→IPv4, DF clear stays clear", T.v4v4, data: data100, shape: Shape(dontFragment: false)),
            .clientToPeer("client→peer IPv4→IPv4, empty ChannelData", T.v4v4, data: []),
            .clientToPeer("client→peer IPv4→IPv4, sender sent no checksum", T.v4v4, data: data101, padding: 3, shape: Shape(checksum: .zero)),
            .clientToPeer("client→peer IPv6→IPv6", T.v6v6, data: data100),
            .clientToPeer("client→peer IPv6→IPv6, odd length, 1 byte padding", T.v6v6, data: PacketBuilder.data(103), padding: 1),
            .clientToPeer("client→peer IPv4→IPv6", T.v4v6, data: data101, padding: 3),
            .clientToPeer("client→peer IPv6→IPv4", T.v6v4, data: data101),
            .clientToPeer("client→peer IPv4, peer on the ingress link (XDP_TX)", T.nearV4, data: data100),
            .clientToPeer("client→peer IPv6, peer on the ingress link (XDP_TX)", T.nearV6, data: data101, padding: 3),
            .peerToClient("peer→client IPv4→IPv4", T.v4v4, data: data100),
            .peerToClient("peer→client IPv4→IPv4, odd length", T.v4v4, data: data101),
            .peerToClient("peer→client IPv4→IPv4, sender sent no checksum", T.v4v4, data: data101, shape: Shape(checksum: .zero)),
            .peerToClient("peer→client IPv6→IPv6", T.v6v6, data: data101),
            .peerToClient("peer→client IPv6→IPv4", T.v4v6, data: data100),
            .peerToClient("peer→client IPv4→IPv6", T.v6v4, data: data101),
            .peerToClient("peer→client IPv4, peer on the client's link (XDP_TX)", T.nearV4, data: data101),
            .peerToClient("peer→client IPv6, peer on the client's link (XDP_TX)", T.nearV6, data: data100),
            allocationToAllocation,
            ethernetTrailer,
        ]
    }

    /// Client A's ChannelData to its peer, which is allocation B's relayed address: delivered to
    /// B's client (IPv6) under B's channel number, padding dropped.
    static var allocationToAllocation: Fixture {
        let a = T.allocationA, b = T.allocationB
        let input = Fixture.frame(a.client, a.server, PacketBuilder.channelData(a.channel.rawValue, data101, padding: 3))
        let output = Fixture.relayed(b.server, b.client, PacketBuilder.channelData(b.channel.rawValue, data101),
                                     shape: Shape(), inputFamily: .ipv4)
        return Fixture(description: "allocation→allocation on this server, IPv4 client→IPv6 client", ingress: input.side,
                       input: input.frame, reason: "tx_between_allocations", expected: output)
    }

    /// A 1-byte ChannelData is a 47-byte frame, padded to the Ethernet minimum of 60 by the
    /// sender: the trailer must not follow the datagram out.
    static var ethernetTrailer: Fixture {
        var fixture = Fixture.clientToPeer("client→peer IPv4, Ethernet trailer after a short datagram", T.v4v4, data: [0x5a])
        fixture.input += [UInt8](repeating: 0, count: 60 - fixture.input.count)
        return fixture
    }

    static var passed: [Fixture] {
        let v4 = T.v4v4, v6 = T.v6v6
        return [
            .untouched("unbound channel number", Fixture.frame(v4.client, v4.server, PacketBuilder.channelData(0x4FFF, data100)),
                       reason: "channel_unbound"),
            .untouched("bound channel from another client port",
                       Fixture.frame(T.address(T.clientV4, 40999), v4.server, PacketBuilder.channelData(0x4000, data100)),
                       reason: "channel_unbound"),
            .untouched("unbound RFC 5766 channel number 0x5000", Fixture.frame(v4.client, v4.server, PacketBuilder.channelData(0x5000, data100)),
                       reason: "channel_unbound"),
            .untouched("first byte 0x80 is neither STUN nor ChannelData", Fixture.frame(v4.client, v4.server, PacketBuilder.channelData(0x8000, data100)),
                       reason: "not_channeldata"),
            .untouched("STUN Binding request on the listening port", Fixture.frame(v6.client, v6.server, stunBindingRequest),
                       reason: "not_channeldata"),
            .untouched("2-byte datagram on the listening port", Fixture.frame(v4.client, v4.server, [0x40, 0x00]),
                       reason: "not_channeldata"),
            .untouched("relay-range UDP from a peer without a channel",
                       Fixture.frame(T.address(T.peerV4, 61000), v4.relayed, data100), reason: "peer_unbound"),
            .untouched("relay-range UDP to another relayed port", Fixture.frame(v4.peer, T.address(T.relayV4, 50001), data100),
                       reason: "peer_unbound"),
            .untouched("UDP outside our ports", Fixture.frame(v4.peer, T.address(T.relayV4, 53), data100), reason: "not_our_port"),
            .untouched("TCP to the listening port", protocolChanged(Fixture.frame(v4.client, v4.server, PacketBuilder.channelData(0x4000, data100)), to: 6),
                       reason: "not_udp"),
            .untouched("ICMPv6 echo", icmpv6Echo, reason: "not_udp"),
            .untouched("ARP", arp, reason: "not_ip"),
            .untouched("IPv4 with options", withIPv4Options(Fixture.frame(v4.client, v4.server, PacketBuilder.channelData(0x4000, data100))),
                       reason: "ipv4_options"),
            .untouched("IPv4 fragment (MF)", moreFragments(Fixture.frame(v4.client, v4.server, PacketBuilder.channelData(0x4000, data100))),
                       reason: "ipv4_fragment"),
            .untouched("IPv6 with a hop-by-hop header", withHopByHop(Fixture.frame(v6.client, v6.server, PacketBuilder.channelData(0x4001, data100))),
                       reason: "ipv6_extension"),
            .clientToPeer("offloaded (partial) checksum from a local sender, IPv4", v4, data: data100,
                          shape: Shape(checksum: .partial), reason: "checksum_partial", relays: false),
            .peerToClient("offloaded (partial) checksum from a local sender, IPv6", v6, data: data101,
                          shape: Shape(checksum: .partial), reason: "checksum_partial", relays: false),
            .clientToPeer("IPv4 without checksum towards an IPv6 peer", T.v4v6, data: data100,
                          shape: Shape(checksum: .zero), reason: "zero_checksum_to_ipv6", relays: false),
            .peerToClient("IPv4 peer without checksum towards an IPv6 client", T.v6v4, data: data100,
                          shape: Shape(checksum: .zero), reason: "zero_checksum_to_ipv6", relays: false),
            .clientToPeer("TTL 1", v4, data: data100, shape: Shape(ttl: 1), reason: "ttl_expired", relays: false),
            .peerToClient("hop limit 1", v6, data: data100, shape: Shape(ttl: 1), reason: "ttl_expired", relays: false),
            .clientToPeer("peer is a local address no allocation bound back", T.localUnbound, data: data100,
                          reason: "egress_unresolved", relays: false),
            .clientToPeer("peer's next hop not resolved", T.unresolved, data: data100, reason: "egress_unresolved", relays: false),
            .untouched("UDP length disagrees with IPv4 length", udpLengthOff(Fixture.frame(v4.client, v4.server, PacketBuilder.channelData(0x4000, data100))),
                       reason: "malformed"),
        ]
    }

    static var dropped: [Fixture] {
        let v4 = T.v4v4
        return [
            .untouched("bound channel, length beyond the datagram",
                       Fixture.frame(v4.client, v4.server, PacketBuilder.channelData(0x4000, data100, length: 104)),
                       reason: "channeldata_truncated"),
            .untouched("bound channel, 4 bytes after the data (more than padding)",
                       Fixture.frame(v4.client, v4.server, PacketBuilder.channelData(0x4000, data100, padding: 4)),
                       reason: "channeldata_excess"),
        ]
    }

    /// The egress MTU: 1400 on the peer side, 1500 on the client side.
    static var limits: [Fixture] {
        [
            .clientToPeer("client→peer IPv4 exactly the egress MTU (1400)", T.v4v4, data: PacketBuilder.data(1372)),
            .clientToPeer("client→peer IPv4 one byte over the egress MTU", T.v4v4, data: PacketBuilder.data(1373),
                          reason: "mtu_exceeded", relays: false),
            .clientToPeer("client→peer IPv6 one byte over the egress MTU", T.v6v6, data: PacketBuilder.data(1353),
                          reason: "mtu_exceeded", relays: false),
            .peerToClient("peer→client IPv4 exactly the egress MTU (1500)", T.v4v4, data: PacketBuilder.data(1468)),
            .peerToClient("peer→client IPv4 over the egress MTU after the 4-byte header", T.v4v4, data: PacketBuilder.data(1469),
                          reason: "mtu_exceeded", relays: false),
        ]
    }

    // MARK: Hand-made frames

    /// RFC 8489 §5: Binding request, no attributes.
    static let stunBindingRequest: [UInt8] = [0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xA4, 0x42] + PacketBuilder.data(12)

    static var arp: (frame: [UInt8], side: Fixture.Side) {
        let body: [UInt8] = [0, 1, 0x08, 0, 6, 4, 0, 1] + T.clientMAC + T.clientV4.bytes + [0, 0, 0, 0, 0, 0] + T.serverV4.bytes
        return ([0xff, 0xff, 0xff, 0xff, 0xff, 0xff] + T.clientMAC + [0x08, 0x06] + body, .clientSide)
    }

    static var icmpv6Echo: (frame: [UInt8], side: Fixture.Side) {
        let header: [UInt8] = [0x60, 0, 0, 0, 0, 8, 58, 64] + T.clientV6.bytes + T.serverV6.bytes
        return (PacketBuilder.ethernet(from: T.clientMAC, to: T.clientSideMAC, ipPacket: header + [128, 0, 0, 0, 0, 1, 0, 1]), .clientSide)
    }

    static func refreshIPv4HeaderChecksum(_ frame: inout [UInt8]) {
        let headerLength = Int(frame[14] & 0x0f) * 4
        frame[24] = 0
        frame[25] = 0
        let check = InternetChecksum.checksum(Array(frame[14..<(14 + headerLength)]))
        frame[24] = UInt8(check >> 8)
        frame[25] = UInt8(check & 0xff)
    }

    static func protocolChanged(_ input: (frame: [UInt8], side: Fixture.Side), to number: UInt8) -> (frame: [UInt8], side: Fixture.Side) {
        var frame = input.frame
        frame[23] = number
        refreshIPv4HeaderChecksum(&frame)
        return (frame, input.side)
    }

    static func moreFragments(_ input: (frame: [UInt8], side: Fixture.Side)) -> (frame: [UInt8], side: Fixture.Side) {
        var frame = input.frame
        frame[20] = 0x20
        refreshIPv4HeaderChecksum(&frame)
        return (frame, input.side)
    }

    static func udpLengthOff(_ input: (frame: [UInt8], side: Fixture.Side)) -> (frame: [UInt8], side: Fixture.Side) {
        var frame = input.frame
        frame[14 + 20 + 5] &-= 2
        return (frame, input.side)
    }

    /// Four bytes of options (NOP, NOP, NOP, EOL): IHL 6.
    static func withIPv4Options(_ input: (frame: [UInt8], side: Fixture.Side)) -> (frame: [UInt8], side: Fixture.Side) {
        var frame = Array(input.frame[0..<34]) + [1, 1, 1, 0] + Array(input.frame[34...])
        frame[14] = 0x46
        let total = (Int(frame[16]) << 8 | Int(frame[17])) + 4
        frame[16] = UInt8(total >> 8)
        frame[17] = UInt8(total & 0xff)
        refreshIPv4HeaderChecksum(&frame)
        return (frame, input.side)
    }

    /// A hop-by-hop options header (PadN) between IPv6 and UDP.
    static func withHopByHop(_ input: (frame: [UInt8], side: Fixture.Side)) -> (frame: [UInt8], side: Fixture.Side) {
        var frame = Array(input.frame[0..<54]) + [17, 0, 1, 4, 0, 0, 0, 0] + Array(input.frame[54...])
        frame[20] = 0
        let payload = (Int(frame[18]) << 8 | Int(frame[19])) + 8
        frame[18] = UInt8(payload >> 8)
        frame[19] = UInt8(payload & 0xff)
        return (frame, input.side)
    }
}
