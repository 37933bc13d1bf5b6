import NIOCore
import STUNWire
import Testing
@testable import TURNCore

/// Reloading the configuration keeps allocations and applies new credentials and policy; what
/// the new configuration forbids (a removed credential, a refused peer) ends at once.
@Suite struct ReloadTests {
    static func reloaded(users: [String: UserSecret], sharedSecrets: [[UInt8]] = [Fixture.sharedSecret],
                         adjust: (inout RelayConfiguration) -> Void = { _ in }) throws -> RelayConfiguration {
        var configuration = Fixture.configuration(adjust: adjust)
        configuration.credentials = try CredentialStore(realm: Fixture.realm, users: users, sharedSecrets: sharedSecrets)
        return configuration
    }

    @Test func relayAddressesAndPortsStayAndNewPolicyApplies() throws {
        var harness = Harness()
        var reloaded = Fixture.configuration { $0.relayAddresses = [:]; $0.portRange = 1...2 }
        reloaded.peerPolicy = PeerPolicy(deny: [CIDR("93.184.216.0/24")!])
        harness.core.reload(reloaded)
        #expect(harness.core.configuration.relayAddresses[.ipv4]?.local == Fixture.relayLocalV4)
        #expect(harness.core.configuration.portRange == 50_000...50_999)
        var alice = TestClient(Fixture.udp())
        harness.allocate(&alice)
        let denied = harness.send(alice.request(.createPermission, [.xorPeerAddress(Fixture.peer1)]), from: alice.fiveTuple)
        #expect(Decode.responses(denied).first?.errorCode?.code == 403)
    }

    @Test func theReplyAndFailureBudgetsTakeNewSettings() {
        var harness = Harness(Fixture.configuration { $0.unauthenticatedReplyBurst = 1; $0.unauthenticatedRepliesPerSecond = 1 })
        var client = TestClient(Fixture.udp())
        #expect(Decode.responses(harness.send(client.plainRequest(.refresh), from: client.fiveTuple)).count == 1)
        #expect(Decode.responses(harness.send(client.plainRequest(.refresh), from: client.fiveTuple)).isEmpty)
        harness.core.reload(Fixture.configuration {
            $0.unauthenticatedReplyBurst = 5
            $0.unauthenticatedRepliesPerSecond = 1
            $0.authFailureBurst = 2
            $0.authFailureInterval = .seconds(60)
        })
        // The spent budget is kept; the new rate refills it, up to the new burst.
        #expect(Decode.responses(harness.send(client.plainRequest(.refresh), from: client.fiveTuple)).isEmpty)
        harness.advance(.seconds(10))
        var replies = 0
        for _ in 0..<10 { replies += Decode.responses(harness.send(client.plainRequest(.refresh), from: client.fiveTuple)).count }
        #expect(replies == 5)
        #expect(harness.core.authFailures.rate == CellRate(interval: .seconds(60), burst: 2))
        #expect(harness.core.usernameFailures.rate == CellRate(interval: .seconds(60), burst: 2))
    }

    @Test func aRemovedStaticUsersAllocationsEndAtOnce() throws {
        var harness = Harness()
        var bob = TestClient(Fixture.udp(Fixture.clientB), username: Fixture.otherUsername, password: Fixture.otherPassword)
        let bobRelayed = Harness.local(harness.allocate(&bob).0.xorRelayedAddresses[0])
        var alice = TestClient(Fixture.udp())
        harness.allocate(&alice)
        harness.core.reload(try Self.reloaded(users: [Fixture.username: .password("a new password")]))
        let actions = harness.settle()
        #expect(actions == [
            .closeRelayPort(bobRelayed),
            .event(.allocationDeleted(AllocationID(rawValue: 1), reason: .credentialsRevoked)),
        ])
        #expect(harness.core.allocationCount == 1)
        #expect(harness.core.users[Fixture.otherUsername] == nil)
        // Bob no longer authenticates.
        let refused = harness.send(bob.request(.refresh), from: bob.fiveTuple)
        #expect(Decode.responses(refused).first?.errorCode?.code == 401)
        // Alice's password changed, which is no removal: her allocation lives, and her client,
        // given the new password, refreshes it.
        alice.password = "a new password"
        let refreshed = harness.send(alice.request(.refresh), from: alice.fiveTuple)
        #expect(Decode.responses(refreshed).first?.type.messageClass == .successResponse)
    }

    @Test func aSharedSecretUsernameLivesWhileItsSecretIsConfigured() throws {
        var harness = Harness()
        let old = Array("old secret".utf8)
        let new = Array("new secret".utf8)
        let users: [String: UserSecret] = [Fixture.username: .password(Fixture.password)]
        harness.core.reload(try Self.reloaded(users: users, sharedSecrets: [old]))
        let username = "\(Fixture.start.unixSeconds + 3600):carol"
        var carol = TestClient(Fixture.udp(), username: username, password: SharedSecretUsername.password(username: username, secret: old))
        #expect(harness.allocate(&carol).0.type.messageClass == .successResponse)
        // Rotation: the new secret first, the old one kept.
        harness.core.reload(try Self.reloaded(users: users, sharedSecrets: [new, old]))
        #expect(harness.settle().isEmpty)
        #expect(harness.core.allocationCount == 1)
        // A secret that would not verify her password is no help once the old one is gone.
        harness.core.reload(try Self.reloaded(users: users, sharedSecrets: [new]))
        #expect(Decode.events(harness.settle()) == [.allocationDeleted(AllocationID(rawValue: 1), reason: .credentialsRevoked)])
        #expect(harness.core.allocationCount == 0)
    }

    @Test func aRemovedUsersPendingAllocateIsAbandoned() throws {
        var harness = Harness()
        harness.answerPortRequests = false
        var bob = TestClient(Fixture.udp(Fixture.clientB), username: Fixture.otherUsername, password: Fixture.otherPassword)
        harness.login(&bob)
        let asked = harness.send(bob.request(.allocate, [.requestedTransport(17)]), from: bob.fiveTuple)
        guard case .openRelayPorts(let request) = try #require(asked.first) else {
            Issue.record("expected a port request, got \(asked)")
            return
        }
        harness.core.reload(try Self.reloaded(users: [Fixture.username: .password(Fixture.password)]))
        #expect(harness.settle().isEmpty)
        // The port opens after all: it is closed again, and nothing is answered or held.
        harness.core.relayOpened(request.id, now: harness.now)
        #expect(harness.settle() == [.closeRelayPort(request.addresses[0])])
        #expect(harness.core.allocationCount == 0 && harness.core.users.isEmpty && harness.core.heldUnits == 0)
    }

    @Test func aTightenedPeerPolicyRemovesPermissionsAndChannelsAtOnce() throws {
        var harness = Harness()
        var alice = TestClient(Fixture.udp())
        let relayed = Harness.local(harness.allocate(&alice).0.xorRelayedAddresses[0])
        let channel = ChannelNumber(rawValue: 0x4000)
        _ = harness.send(alice.request(.createPermission, [.xorPeerAddress(Fixture.peer2)]), from: alice.fiveTuple)
        let bound = harness.send(alice.request(.channelBind, [.channelNumber(channel), .xorPeerAddress(Fixture.peer1)]), from: alice.fiveTuple)
        #expect(Decode.responses(bound).first?.type.messageClass == .successResponse)
        let route = ChannelRoute(allocation: AllocationID(rawValue: 1), fiveTuple: alice.fiveTuple, channel: channel, relayed: relayed, peer: Fixture.peer1)
        #expect(bound.contains(.installChannelRoute(route)))

        harness.core.reload(Fixture.configuration {
            $0.peerPolicy = PeerPolicy(deny: [CIDR("93.184.216.34/32")!], relayPorts: 50_000...50_999)
        })
        let actions = harness.settle()
        #expect(actions == [
            .removeChannelRoute(route),
            .event(.peersRevoked(AllocationID(rawValue: 1), permissions: 1, channels: 1)),
        ])
        // Nothing reaches the denied peer any more, either way; the other peer is untouched.
        var data = ByteBuffer()
        ChannelData(channel: channel, payload: ByteBuffer(string: "x")).encode(into: &data, padded: false)
        #expect(harness.route(data, from: alice.fiveTuple).0 == .none)
        #expect(harness.core.drops[.unboundChannel] == 1)
        #expect(harness.fromPeer(ByteBuffer(string: "in"), from: Fixture.peer1, to: relayed).0 == .none)
        #expect(harness.core.drops[.peerNoPermission] == 1)
        let (_, fromPeer2) = harness.fromPeer(ByteBuffer(string: "in"), from: Fixture.peer2, to: relayed)
        #expect(Decode.relayed(fromPeer2).first?.type == MessageType(.data, .indication))
        // A reload that changes nothing about peers removes nothing more.
        harness.core.reload(harness.core.configuration)
        #expect(harness.settle().isEmpty)
    }
}
