import NIOCore
import STUNWire
import Testing
@testable import TURNCore

/// RFC 8656 §8.2: receiving a Refresh request.
@Suite struct RefreshTests {
    @Test func refreshWithoutAllocationIs437() throws {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        harness.login(&client)
        let actions = harness.send(client.request(.refresh, [.lifetime(600)]), from: client.fiveTuple)
        #expect(Decode.responses(actions).first?.errorCode?.code == 437)
    }

    @Test func refreshExtendsTheLifetime() throws {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        harness.allocate(&client)
        _ = harness.tick(.seconds(500))
        let actions = harness.send(client.request(.refresh, [.lifetime(900)]), from: client.fiveTuple)
        let response = try #require(Decode.responses(actions).first)
        #expect(response.type == MessageType(.refresh, .successResponse))
        #expect(response.lifetime == 900)
        #expect(client.verify(Decode.sentBytes(actions)[0]))
        // The original 600 s have passed; the refreshed 900 s have not.
        #expect(harness.tick(.seconds(200)).isEmpty)
        #expect(harness.core.allocationCount == 1)
        let expired = harness.tick(.seconds(700))
        #expect(Decode.events(expired).contains(.allocationDeleted(AllocationID(rawValue: 1), reason: .expired)))
        #expect(harness.core.allocationCount == 0)
    }

    @Test func refreshWithoutLifetimeUsesTheDefault() throws {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        harness.allocate(&client, [.lifetime(3000)])
        let actions = harness.send(client.request(.refresh), from: client.fiveTuple)
        #expect(Decode.responses(actions).first?.lifetime == 600)
    }

    @Test func lifetimeZeroDeletesAtOnce() throws {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        let (allocated, _) = harness.allocate(&client)
        let relayed = try #require(allocated.xorRelayedAddresses.first)
        let actions = harness.send(client.request(.refresh, [.lifetime(0)]), from: client.fiveTuple)
        #expect(Decode.withoutEvents(actions).count == 2)
        #expect(actions.first == .closeRelayPort(Harness.local(relayed)))
        #expect(Decode.events(actions).first == .allocationDeleted(AllocationID(rawValue: 1), reason: .refreshedToZero))
        let response = try #require(Decode.responses(actions).first)
        #expect(response.type.messageClass == .successResponse && response.lifetime == 0)
        #expect(harness.core.allocationCount == 0)
        #expect(harness.core.nextDeadline != nil)  // the cached response and the stale timer
    }

    @Test func refreshShorterThanBeforeExpiresEarlier() throws {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        harness.allocate(&client, [.lifetime(3600)])
        _ = harness.send(client.request(.refresh, [.lifetime(700)]), from: client.fiveTuple)
        #expect(harness.tick(.seconds(699)).isEmpty)
        #expect(Decode.events(harness.tick(.seconds(1))).contains(.allocationDeleted(AllocationID(rawValue: 1), reason: .expired)))
    }

    @Test func requestedFamilyMissingFromTheAllocationIs443() throws {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        harness.allocate(&client)
        let actions = harness.send(client.request(.refresh, [.requestedAddressFamily(.ipv6)]), from: client.fiveTuple)
        #expect(Decode.responses(actions).first?.errorCode?.code == 443)
    }

    @Test func oneFamilyOfADualAllocationCanBeDeleted() throws {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        let (allocated, _) = harness.allocate(&client, [.additionalAddressFamily(.ipv6)])
        let v6 = try #require(allocated.xorRelayedAddresses.last)
        let actions = harness.send(
            client.request(.refresh, [.lifetime(0), .requestedAddressFamily(.ipv6)]), from: client.fiveTuple)
        #expect(actions.first == .closeRelayPort(Harness.local(v6)))
        #expect(Decode.responses(actions).first?.lifetime == 0)
        #expect(harness.core.allocationCount == 1)
        // The IPv6 relay no longer takes datagrams; the IPv4 one does not change.
        let (route, _) = harness.fromPeer(ByteBuffer(string: "x"), from: Fixture.peerV6, to: Harness.local(v6))
        #expect(route == .none)
        #expect(harness.core.drops[.peerNoAllocation] == 1)
    }

    @Test func oneFamilyOfADualAllocationCanBeRefreshedAlone() throws {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        let (allocated, _) = harness.allocate(&client, [.additionalAddressFamily(.ipv6)])
        let v4 = try #require(allocated.xorRelayedAddresses.first)
        _ = harness.tick(.seconds(300))
        _ = harness.send(client.request(.refresh, [.lifetime(1200), .requestedAddressFamily(.ipv6)]), from: client.fiveTuple)
        let actions = harness.tick(.seconds(300))
        #expect(actions == [.closeRelayPort(Harness.local(v4))])
        #expect(harness.core.allocationCount == 1)
        let end = harness.tick(.seconds(1200))
        #expect(Decode.events(end) == [.allocationDeleted(AllocationID(rawValue: 1), reason: .expired)])
    }
}
