import CTurnpikeXDP
import STUNWire
import Testing
@testable import TurnpikeXDP

@Suite struct XDPWireTests {
    static func bytes<T>(of value: T) -> [UInt8] {
        withUnsafeBytes(of: value) { Array($0) }
    }

    @Test func ipv4IsMapped() {
        #expect(XDPWire.addressBytes(IPAddress("192.0.2.1")!) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1])
        #expect(XDPWire.addressBytes(IPAddress("2001:db8::1")!) == [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [1])
    }

    @Test func channelEntriesAreBigEndianByteArrays() {
        let route = Topology.v4v6
        let key = Self.bytes(of: XDPWire.clientTuple(route))
        #expect(Array(key[0..<16]) == XDPWire.addressBytes(Topology.clientV4))
        #expect(Array(key[16..<32]) == XDPWire.addressBytes(Topology.serverV4))
        #expect(Array(key[32..<40]) == [0x9c, 0x42, 0x0d, 0x96, 0x40, 0x02, 0, 0]) // 40002, 3478, 0x4002, reserved

        let value = XDPWire.channelRoute(route, index: 0x0102_0304)
        let valueBytes = Self.bytes(of: value)
        #expect(Array(valueBytes[0..<16]) == XDPWire.addressBytes(Topology.relayV6))
        #expect(Array(valueBytes[16..<32]) == XDPWire.addressBytes(Topology.peerV6))
        #expect(Array(valueBytes[32..<36]) == [0xc3, 0x52, 0xea, 0x62]) // 50002, 60002
        #expect(value.route_index == 0x0102_0304) // host order: an array map key
    }

    @Test func peerEntryMirrorsTheChannelEntry() {
        let route = Topology.v6v4
        let key = Self.bytes(of: XDPWire.peerTuple(route))
        #expect(key == Array(Self.bytes(of: XDPWire.channelRoute(route, index: 7))[0..<36]))
        let value = Self.bytes(of: XDPWire.peerRoute(route, index: 7))
        #expect(Array(value[0..<40]) == Self.bytes(of: XDPWire.clientTuple(route)))
    }

    @Test func configurationEncoding() throws {
        let config = try XDPConfiguration(listeningPorts: [3478, 5349], relayPorts: 49152...65535).encoded()
        #expect(Self.bytes(of: config) == [0x0d, 0x96, 0x14, 0xe5, 0, 0, 0, 0, 0xc0, 0x00, 0xff, 0xff])
        let none = try XDPConfiguration(listeningPorts: [], relayPorts: nil).encoded()
        #expect(Self.bytes(of: none) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0]) // empty range: 1 > 0
        #expect(throws: XDPError(.invalidConfiguration)) {
            try XDPConfiguration(listeningPorts: [0], relayPorts: nil).encoded()
        }
    }
}

@Suite struct RouteIndexAllocatorTests {
    @Test func allocatesDenselyAndReusesReleased() {
        var allocator = RouteIndexAllocator(capacity: 3)
        #expect(allocator.allocate() == 0)
        #expect(allocator.allocate() == 1)
        allocator.release(0)
        #expect(allocator.inUse == 1)
        #expect(allocator.allocate() == 0)
        #expect(allocator.allocate() == 2)
        #expect(allocator.allocate() == nil)
        #expect(allocator.inUse == 3)
        allocator.release(2)
        #expect(allocator.allocate() == 2)
    }
}
