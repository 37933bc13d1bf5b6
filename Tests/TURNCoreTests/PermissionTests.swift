import NIOCore
import STUNWire
import Testing
@testable import TURNCore

/// RFC 8656 §9 and §10.2: permissions and CreatePermission.
@Suite struct PermissionTests {
    static func allocated(_ harness: inout Harness, _ extra: [Attribute] = []) -> (TestClient, TransportAddress) {
        var client = TestClient(Fixture.udp())
        let (response, _) = harness.allocate(&client, extra)
        return (client, Harness.local(response.xorRelayedAddresses[0]))
    }

    @Test func createPermissionWithoutAllocationIs437() {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        harness.login(&client)
        let actions = harness.send(client.request(.createPermission, [.xorPeerAddress(Fixture.peer1)]), from: client.fiveTuple)
        #expect(Decode.responses(actions).first?.errorCode?.code == 437)
    }

    @Test func createPermissionWithoutPeerIs400() {
        var harness = Harness()
        var (client, _) = Self.allocated(&harness)
        let actions = harness.send(client.request(.createPermission), from: client.fiveTuple)
        #expect(Decode.responses(actions).first?.errorCode?.code == 400)
    }

    @Test func severalPeersAtOnceArePermittedPerIPAddress() throws {
        var harness = Harness()
        var (client, relayed) = Self.allocated(&harness)
        let actions = harness.send(
            client.request(.createPermission, [.xorPeerAddress(Fixture.peer1), .xorPeerAddress(Fixture.peer2)]),
            from: client.fiveTuple)
        let response = try #require(Decode.responses(actions).first)
        #expect(response.type == MessageType(.createPermission, .successResponse))
        #expect(client.verify(Decode.sentBytes(actions)[0]))
        // Any port of a permitted IP gets through (RFC 8656 §9: ports are ignored).
        let otherPort = TransportAddress(ip: Fixture.peer1.ip, port: 9999)
        let (_, delivered) = harness.fromPeer(ByteBuffer(string: "hi"), from: otherPort, to: relayed)
        let indication = try #require(Decode.relayed(delivered).first)
        #expect(indication.type == MessageType(.data, .indication))
        #expect(indication.xorPeerAddresses == [otherPort])
        #expect(indication.data == ByteBuffer(string: "hi"))
        let (_, fromPeer2) = harness.fromPeer(ByteBuffer(string: "yo"), from: Fixture.peer2, to: relayed)
        #expect(Decode.relayed(fromPeer2).count == 1)
    }

    @Test(arguments: ["127.0.0.1", "10.1.2.3", "169.254.169.254", "::ffff:127.0.0.1", "64:ff9b::a00:1", "fe80::1"])
    func refusedPeersAre403AndNothingIsInstalled(_ ip: String) throws {
        var harness = Harness()
        var (client, relayed) = Self.allocated(&harness, [.additionalAddressFamily(.ipv6)])
        let refused = TransportAddress(ip: IPAddress(ip)!, port: 80)
        let actions = harness.send(
            client.request(.createPermission, [.xorPeerAddress(Fixture.peer1), .xorPeerAddress(refused)]),
            from: client.fiveTuple)
        #expect(Decode.responses(actions).first?.errorCode?.code == 403)
        // All or nothing: peer1 did not get a permission either.
        let (route, _) = harness.fromPeer(ByteBuffer(string: "x"), from: Fixture.peer1, to: relayed)
        #expect(route == .none)
        #expect(harness.core.drops[.peerNoPermission] == 1)
    }

    @Test func peerOfAFamilyTheAllocationLacksIs443() {
        var harness = Harness()
        var (client, _) = Self.allocated(&harness)
        let actions = harness.send(client.request(.createPermission, [.xorPeerAddress(Fixture.peerV6)]), from: client.fiveTuple)
        #expect(Decode.responses(actions).first?.errorCode?.code == 443)
    }

    @Test func permissionLimitIs508() {
        var harness = Harness(Fixture.configuration { $0.permissionsPerAllocation = 2 })
        var (client, _) = Self.allocated(&harness)
        let peers = (1...3).map { TransportAddress(ip: .v4(IPv4Address(93, 184, 216, UInt8($0))), port: 1) }
        let ok = harness.send(client.request(.createPermission, peers.prefix(2).map { .xorPeerAddress($0) }), from: client.fiveTuple)
        #expect(Decode.responses(ok).first?.type.messageClass == .successResponse)
        // Refreshing existing ones is fine; a third IP is over the limit.
        let refresh = harness.send(client.request(.createPermission, [.xorPeerAddress(peers[0])]), from: client.fiveTuple)
        #expect(Decode.responses(refresh).first?.type.messageClass == .successResponse)
        let over = harness.send(client.request(.createPermission, [.xorPeerAddress(peers[2])]), from: client.fiveTuple)
        #expect(Decode.responses(over).first?.errorCode?.code == 508)
    }

    @Test func permissionExpiresAfter300SecondsUnlessRefreshed() throws {
        var harness = Harness()
        var (client, relayed) = Self.allocated(&harness)
        _ = harness.send(client.request(.createPermission, [.xorPeerAddress(Fixture.peer1), .xorPeerAddress(Fixture.peer2)]), from: client.fiveTuple)
        _ = harness.tick(.seconds(200))
        _ = harness.send(client.request(.createPermission, [.xorPeerAddress(Fixture.peer1)]), from: client.fiveTuple)
        _ = harness.tick(.seconds(100))
        // peer2's permission is 300 s old: gone. peer1's was refreshed 100 s ago.
        #expect(harness.fromPeer(ByteBuffer(string: "a"), from: Fixture.peer2, to: relayed).0 == .none)
        #expect(harness.core.drops[.peerNoPermission] == 1)
        #expect(Decode.relayed(harness.fromPeer(ByteBuffer(string: "b"), from: Fixture.peer1, to: relayed).1).count == 1)
        _ = harness.tick(.seconds(200))
        #expect(Decode.relayed(harness.fromPeer(ByteBuffer(string: "c"), from: Fixture.peer1, to: relayed).1).isEmpty)
        #expect(harness.core.drops[.peerNoPermission] == 2)
    }
}
