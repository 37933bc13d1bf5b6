import NIOCore
import STUNWire
import Testing
@testable import TURNCore

/// RFC 8656 §11: Send and Data indications.
@Suite struct SendDataTests {
    static func permitted(_ harness: inout Harness, _ peers: [TransportAddress] = [Fixture.peer1]) -> (TestClient, TransportAddress) {
        var client = TestClient(Fixture.udp())
        let (response, _) = harness.allocate(&client)
        _ = harness.send(client.request(.createPermission, peers.map { .xorPeerAddress($0) }), from: client.fiveTuple)
        return (client, Harness.local(response.xorRelayedAddresses[0]))
    }

    @Test func sendToAPermittedPeerIsRelayedWithoutAResponse() {
        var harness = Harness()
        var (client, relayed) = Self.permitted(&harness)
        let actions = harness.send(
            client.indication(.send, [.xorPeerAddress(Fixture.peer1), .data(ByteBuffer(string: "payload"))]),
            from: client.fiveTuple)
        #expect(actions == [
            .sendToPeer(relayed: relayed, peer: Fixture.peer1, payload: ByteBuffer(string: "payload"), dontFragment: false)
        ])
    }

    @Test func dontFragmentInTheIndicationSetsDF() {
        var harness = Harness()
        var (client, relayed) = Self.permitted(&harness)
        let actions = harness.send(
            client.indication(.send, [.xorPeerAddress(Fixture.peer1), .data(ByteBuffer(string: "p")), .dontFragment]),
            from: client.fiveTuple)
        #expect(actions == [.sendToPeer(relayed: relayed, peer: Fixture.peer1, payload: ByteBuffer(string: "p"), dontFragment: true)])
    }

    @Test func sendWithoutPermissionIsDropped() {
        var harness = Harness()
        var (client, _) = Self.permitted(&harness)
        let actions = harness.send(client.indication(.send, [.xorPeerAddress(Fixture.peer2), .data(ByteBuffer(string: "p"))]), from: client.fiveTuple)
        #expect(actions.isEmpty)
        #expect(harness.core.drops[.noPermission] == 1)
    }

    @Test func sendWithoutAllocationIsDropped() {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        let actions = harness.send(client.indication(.send, [.xorPeerAddress(Fixture.peer1), .data(ByteBuffer(string: "p"))]), from: client.fiveTuple)
        #expect(actions.isEmpty)
        #expect(harness.core.drops[.noAllocation] == 1)
    }

    @Test func sendMissingDataOrPeerIsDropped() {
        var harness = Harness()
        var (client, _) = Self.permitted(&harness)
        #expect(harness.send(client.indication(.send, [.xorPeerAddress(Fixture.peer1)]), from: client.fiveTuple).isEmpty)
        #expect(harness.send(client.indication(.send, [.data(ByteBuffer(string: "p"))]), from: client.fiveTuple).isEmpty)
        #expect(harness.core.drops[.malformedSend] == 2)
    }

    @Test func sendWithAnUnknownRequiredAttributeIsDropped() {
        var harness = Harness()
        var (client, _) = Self.permitted(&harness)
        let unknown = Attribute.unknown(AttributeType(rawValue: 0x0777), ByteBuffer(bytes: [1, 2, 3, 4]))
        let actions = harness.send(
            client.indication(.send, [.xorPeerAddress(Fixture.peer1), .data(ByteBuffer(string: "p")), unknown]),
            from: client.fiveTuple)
        #expect(actions.isEmpty)
        #expect(harness.core.drops[.indicationUnknownAttribute] == 1)
    }

    @Test func sendToPeerPortZeroIsDroppedAndCounted() {
        var harness = Harness()
        // A permission ignores ports (RFC 8656 §9): the peer's IP is permitted...
        var (client, _) = Self.permitted(&harness)
        // ...but nothing is relayed to its port 0.
        let actions = harness.send(
            client.indication(.send, [.xorPeerAddress(TransportAddress(ip: Fixture.peer1.ip, port: 0)), .data(ByteBuffer(string: "p"))]),
            from: client.fiveTuple)
        #expect(actions.isEmpty)
        #expect(harness.core.drops[.peerPortZero] == 1)
        #expect(harness.core.drops.total == 1)
    }

    @Test func sendToTheServersOwnEndpointIsRefusedEvenWithAPermission() {
        var harness = Harness()
        // A permission for the relay's own public IP is allowed (allocation-to-allocation)...
        var (client, _) = Self.permitted(&harness, [TransportAddress(ip: Fixture.relayPublicV4, port: 50_000)])
        // ...but a port outside the relay range on it is a server endpoint.
        let actions = harness.send(
            client.indication(.send, [.xorPeerAddress(TransportAddress(ip: Fixture.relayPublicV4, port: 22)), .data(ByteBuffer(string: "p"))]),
            from: client.fiveTuple)
        #expect(actions.isEmpty)
        #expect(harness.core.drops[.peerRefused] == 1)
    }

    @Test func peerDatagramWithoutChannelBecomesADataIndication() throws {
        var harness = Harness()
        let (client, relayed) = Self.permitted(&harness)
        let (route, actions) = harness.fromPeer(ByteBuffer(string: "from peer"), from: Fixture.peer1, to: relayed)
        #expect(route == .none)
        #expect(actions.count == 1)
        // Relayed data, not a response: the shell may drop it when a stream cannot take more.
        guard case .relayToClient(let to, let bytes) = actions[0] else {
            Issue.record("expected relayed data, got \(actions[0])")
            return
        }
        #expect(to == client.fiveTuple)
        let decoded = try STUNMessage.decode(bytes)
        #expect(decoded.message.type == MessageType(.data, .indication))
        #expect(decoded.message.attributes == [.xorPeerAddress(Fixture.peer1), .data(ByteBuffer(string: "from peer"))])
        #expect(!decoded.hasMessageIntegrity && !decoded.hasMessageIntegritySHA256)
    }

    @Test func sendToAnotherAllocationOnThisServerIsDeliveredInternally() throws {
        var harness = Harness()
        var alice = TestClient(Fixture.udp())
        let aliceRelayed = harness.allocate(&alice).0.xorRelayedAddresses[0]
        var bob = TestClient(Fixture.udp(Fixture.clientB), username: Fixture.otherUsername, password: Fixture.otherPassword)
        let bobRelayed = harness.allocate(&bob).0.xorRelayedAddresses[0]
        _ = harness.send(bob.request(.createPermission, [.xorPeerAddress(aliceRelayed)]), from: bob.fiveTuple)
        _ = harness.send(alice.request(.createPermission, [.xorPeerAddress(bobRelayed)]), from: alice.fiveTuple)
        let actions = harness.send(
            alice.indication(.send, [.xorPeerAddress(bobRelayed), .data(ByteBuffer(string: "hi bob"))]), from: alice.fiveTuple)
        #expect(actions.count == 1)
        guard case .relayToClient(let to, let bytes) = actions.first else {
            Issue.record("expected relayed data, got \(actions)")
            return
        }
        #expect(to == bob.fiveTuple)
        let message = try STUNMessage.decode(bytes).message
        #expect(message.xorPeerAddresses == [aliceRelayed] && message.data == ByteBuffer(string: "hi bob"))
    }

    @Test func sendToAnOwnRelayAddressThisCoreDoesNotHoldGoesOutForTheShell() {
        var harness = Harness()
        let elsewhere = TransportAddress(ip: Fixture.relayPublicV4, port: 50_999)
        var (client, relayed) = Self.permitted(&harness, [elsewhere])
        let actions = harness.send(client.indication(.send, [.xorPeerAddress(elsewhere), .data(ByteBuffer(string: "p"))]), from: client.fiveTuple)
        #expect(actions == [.sendToPeer(relayed: relayed, peer: elsewhere, payload: ByteBuffer(string: "p"), dontFragment: false)])
    }
}
