import CTurnpikeXDP
import Testing

/// The Swift view of every struct in turnpike_xdp.h must match the C one, whose numbers the
/// header pins with _Static_asserts: the same sizes and offsets are asserted here.
@Suite struct ABILayoutTests {
    @Test func clientTuple() {
        typealias L = MemoryLayout<turnpike_client_tuple>
        #expect(L.size == 40)
        #expect(L.offset(of: \.client_addr) == 0)
        #expect(L.offset(of: \.server_addr) == 16)
        #expect(L.offset(of: \.client_port) == 32)
        #expect(L.offset(of: \.server_port) == 34)
        #expect(L.offset(of: \.channel) == 36)
        #expect(L.offset(of: \.reserved) == 38)
    }

    @Test func peerTuple() {
        typealias L = MemoryLayout<turnpike_peer_tuple>
        #expect(L.size == 36)
        #expect(L.offset(of: \.relay_addr) == 0)
        #expect(L.offset(of: \.peer_addr) == 16)
        #expect(L.offset(of: \.relay_port) == 32)
        #expect(L.offset(of: \.peer_port) == 34)
    }

    @Test func channelRoute() {
        typealias L = MemoryLayout<turnpike_channel_route>
        #expect(L.size == 40)
        #expect(L.offset(of: \.peer) == 0)
        #expect(L.offset(of: \.route_index) == 36)
    }

    @Test func peerRoute() {
        typealias L = MemoryLayout<turnpike_peer_route>
        #expect(L.size == 44)
        #expect(L.offset(of: \.client) == 0)
        #expect(L.offset(of: \.route_index) == 40)
    }

    @Test func routeCounters() {
        typealias L = MemoryLayout<turnpike_route_counters>
        #expect(L.size == 32)
        #expect(L.stride == 32)
        #expect(L.offset(of: \.to_peer_packets) == 0)
        #expect(L.offset(of: \.to_peer_bytes) == 8)
        #expect(L.offset(of: \.to_client_packets) == 16)
        #expect(L.offset(of: \.to_client_bytes) == 24)
    }

    @Test func reasonCounters() {
        typealias L = MemoryLayout<turnpike_reason_counters>
        #expect(L.size == 16)
        #expect(L.stride == 16)
        #expect(L.offset(of: \.packets) == 0)
        #expect(L.offset(of: \.bytes) == 8)
    }

    @Test func configuration() {
        typealias L = MemoryLayout<turnpike_xdp_config>
        #expect(L.size == 12)
        #expect(L.offset(of: \.listen_ports) == 0)
        #expect(L.offset(of: \.relay_port_min) == 8)
        #expect(L.offset(of: \.relay_port_max) == 10)
        #expect(Int(TURNPIKE_XDP_MAX_LISTEN_PORTS) == 4)
    }

    @Test func verdictsAreXDPActions() {
        #expect(TURNPIKE_VERDICT_DROP == 1)
        #expect(TURNPIKE_VERDICT_PASS == 2)
        #expect(TURNPIKE_VERDICT_TX == 3)
        #expect(TURNPIKE_VERDICT_REDIRECT == 4)
    }

    @Test func destination() {
        typealias L = MemoryLayout<turnpike_destination>
        #expect(L.size == 16)
        #expect(L.offset(of: \.addr) == 0)
    }

    @Test func egressRoute() {
        typealias L = MemoryLayout<turnpike_egress_route>
        #expect(L.size == 20)
        #expect(L.offset(of: \.ifindex) == 0)
        #expect(L.offset(of: \.source_mac) == 4)
        #expect(L.offset(of: \.next_hop_mac) == 10)
        #expect(L.offset(of: \.mtu) == 16)
        #expect(L.offset(of: \.reserved) == 18)
    }
}
