import CTurnpikeXDP
import STUNWire

/// Encoding of addresses, ports and the route map entries into the C structs of turnpike_xdp.h:
/// big-endian byte arrays, every address 16 bytes with IPv4 as ::ffff:a.b.c.d (RFC 4291 §2.5.5.2).
/// Fields are written at the offsets Swift sees for the imported structs, which the layout tests
/// pin to the header's _Static_asserts.
enum XDPWire {
    static let ipv4MappedPrefix: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]

    /// The 16-byte form of an address.
    static func addressBytes(_ ip: IPAddress) -> [UInt8] {
        switch ip {
        case .v4(let address): ipv4MappedPrefix + address.bytes
        case .v6(let address): address.bytes
        }
    }

    static func write(port: UInt16, into raw: UnsafeMutableRawBufferPointer, at offset: Int) {
        raw[offset] = UInt8(truncatingIfNeeded: port >> 8)
        raw[offset + 1] = UInt8(truncatingIfNeeded: port)
    }

    static func write(address: IPAddress, into raw: UnsafeMutableRawBufferPointer, at offset: Int) {
        for (index, byte) in addressBytes(address).enumerated() { raw[offset + index] = byte }
    }

    /// The key of turnpike_channels.
    static func clientTuple(_ route: XDPChannelRoute) -> turnpike_client_tuple {
        var tuple = turnpike_client_tuple()
        withUnsafeMutableBytes(of: &tuple) { raw in
            typealias Layout = MemoryLayout<turnpike_client_tuple>
            write(address: route.client.ip, into: raw, at: Layout.offset(of: \.client_addr)!)
            write(address: route.server.ip, into: raw, at: Layout.offset(of: \.server_addr)!)
            write(port: route.client.port, into: raw, at: Layout.offset(of: \.client_port)!)
            write(port: route.server.port, into: raw, at: Layout.offset(of: \.server_port)!)
            write(port: route.channel.rawValue, into: raw, at: Layout.offset(of: \.channel)!)
        }
        return tuple
    }

    /// The key of turnpike_peers.
    static func peerTuple(_ route: XDPChannelRoute) -> turnpike_peer_tuple {
        var tuple = turnpike_peer_tuple()
        withUnsafeMutableBytes(of: &tuple) { raw in
            typealias Layout = MemoryLayout<turnpike_peer_tuple>
            write(address: route.relayed.ip, into: raw, at: Layout.offset(of: \.relay_addr)!)
            write(address: route.peer.ip, into: raw, at: Layout.offset(of: \.peer_addr)!)
            write(port: route.relayed.port, into: raw, at: Layout.offset(of: \.relay_port)!)
            write(port: route.peer.port, into: raw, at: Layout.offset(of: \.peer_port)!)
        }
        return tuple
    }

    /// The value of turnpike_channels for a route.
    static func channelRoute(_ route: XDPChannelRoute, index: UInt32) -> turnpike_channel_route {
        turnpike_channel_route(peer: peerTuple(route), route_index: index)
    }

    /// The value of turnpike_peers for a route.
    static func peerRoute(_ route: XDPChannelRoute, index: UInt32) -> turnpike_peer_route {
        turnpike_peer_route(client: clientTuple(route), route_index: index)
    }
}
