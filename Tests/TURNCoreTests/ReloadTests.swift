import NIOCore
import STUNWire
import Testing
@testable import TURNCore

/// Reloading the configuration keeps allocations and applies new credentials and policy.
@Suite struct ReloadTests {
    @Test func removedUserIsRefusedWhileExistingAllocationsLiveOn() throws {
        var harness = Harness()
        var bob = TestClient(Fixture.udp(Fixture.clientB), username: Fixture.otherUsername, password: Fixture.otherPassword)
        let relayed = Harness.local(harness.allocate(&bob).0.xorRelayedAddresses[0])
        var reloaded = Fixture.configuration { $0.relayAddresses = [:]; $0.portRange = 1...2 }
        reloaded.credentials = try CredentialStore(realm: Fixture.realm, users: [Fixture.username: .password(Fixture.password)])
        reloaded.peerPolicy = PeerPolicy(deny: [CIDR("93.184.216.0/24")!])
        harness.core.reload(reloaded)
        #expect(harness.core.configuration.relayAddresses[.ipv4]?.local == Fixture.relayLocalV4)
        #expect(harness.core.configuration.portRange == 50_000...50_999)
        #expect(harness.core.allocationCount == 1)
        // Bob no longer authenticates; the peer he would have asked for is now denied to Alice.
        let refused = harness.send(bob.request(.refresh), from: bob.fiveTuple)
        #expect(Decode.responses(refused).first?.errorCode?.code == 401)
        var alice = TestClient(Fixture.udp())
        harness.allocate(&alice)
        let denied = harness.send(alice.request(.createPermission, [.xorPeerAddress(Fixture.peer1)]), from: alice.fiveTuple)
        #expect(Decode.responses(denied).first?.errorCode?.code == 403)
        // Bob's allocation ends on its own schedule.
        #expect(Decode.withoutEvents(harness.tick(.seconds(600))).contains(.closeRelayPort(relayed)))
    }
}
