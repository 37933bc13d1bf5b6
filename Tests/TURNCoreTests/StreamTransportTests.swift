import NIOCore
import STUNWire
import Testing
@testable import TURNCore

/// RFC 8656 §3.1 and §12.5: clients over TCP or TLS.
@Suite struct StreamTransportTests {
    @Test func framesFromAStreamClientAllocateAndRoute() throws {
        var harness = Harness()
        var client = TestClient(Fixture.tcp())
        client.nonce = harness.core.configuration.nonceIssuer.issue(for: client.fiveTuple.client, now: harness.now)
        harness.core.handleClientFrame(.stun(client.request(.allocate, [.requestedTransport(17)])), from: client.fiveTuple, now: harness.now)
        let actions = harness.settle()
        let response = try #require(Decode.responses(actions).first)
        #expect(response.type.messageClass == .successResponse)
        let relayed = Harness.local(response.xorRelayedAddresses[0])
        harness.core.handleClientFrame(
            .stun(client.request(.channelBind, [.channelNumber(ChannelNumber(rawValue: 0x4000)), .xorPeerAddress(Fixture.peer1)])),
            from: client.fiveTuple, now: harness.now)
        _ = harness.settle()
        // Peer data on the bound channel is routed to the stream client (the shell pads it).
        let (route, _) = harness.fromPeer(ByteBuffer(string: "abcde"), from: Fixture.peer1, to: relayed)
        #expect(route == .toClient(client.fiveTuple, channel: ChannelNumber(rawValue: 0x4000), payload: ByteBuffer(string: "abcde")))
    }

    @Test func internalDeliveryToAStreamClientIsPaddedChannelData() throws {
        var harness = Harness()
        var alice = TestClient(Fixture.udp())
        let aliceRelayed = harness.allocate(&alice).0.xorRelayedAddresses[0]
        var bob = TestClient(Fixture.tcp(Fixture.clientB), username: Fixture.otherUsername, password: Fixture.otherPassword)
        let bobRelayed = harness.allocate(&bob).0.xorRelayedAddresses[0]
        _ = harness.send(bob.request(.channelBind, [.channelNumber(ChannelNumber(rawValue: 0x4001)), .xorPeerAddress(aliceRelayed)]), from: bob.fiveTuple)
        _ = harness.send(alice.request(.createPermission, [.xorPeerAddress(bobRelayed)]), from: alice.fiveTuple)
        let actions = harness.send(alice.indication(.send, [.xorPeerAddress(bobRelayed), .data(ByteBuffer(string: "abcde"))]), from: alice.fiveTuple)
        var expected = ByteBuffer()
        ChannelData(channel: ChannelNumber(rawValue: 0x4001), payload: ByteBuffer(string: "abcde")).encode(into: &expected, padded: true)
        #expect(actions == [.relayToClient(bob.fiveTuple, expected)])
        #expect(expected.readableBytes == 12)
    }

    @Test func connectionCloseEndsTheAllocation() throws {
        var harness = Harness()
        var client = TestClient(Fixture.tcp())
        let relayed = Harness.local(harness.allocate(&client).0.xorRelayedAddresses[0])
        harness.core.clientConnectionClosed(client.fiveTuple, now: harness.now)
        #expect(harness.settle() == [
            .closeRelayPort(relayed), .event(.allocationDeleted(AllocationID(rawValue: 1), reason: .connectionClosed)),
        ])
        #expect(harness.core.users.isEmpty)
    }

    @Test func connectionCloseWhileThePortOpensClosesItAndAnswersNothing() throws {
        var harness = Harness()
        harness.answerPortRequests = false
        var client = TestClient(Fixture.tcp())
        harness.login(&client)
        let actions = harness.send(client.request(.allocate, [.requestedTransport(17)]), from: client.fiveTuple)
        guard case .openRelayPorts(let request) = try #require(actions.first) else { return }
        harness.core.clientConnectionClosed(client.fiveTuple, now: harness.now)
        harness.core.relayOpened(request.id, now: harness.now)
        #expect(harness.settle() == [.closeRelayPort(request.addresses[0])])
        #expect(harness.core.allocationCount == 0 && harness.core.users.isEmpty && harness.core.portsInUse.isEmpty)
    }
}
