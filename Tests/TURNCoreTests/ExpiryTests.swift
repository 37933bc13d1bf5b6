import NIOCore
import STUNWire
import Testing
@testable import TURNCore

/// RFC 8656 §7 lifetimes, driven by the timer heap.
@Suite struct ExpiryTests {
    @Test func allocationExpiresExactlyAtItsLifetime() throws {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        let relayed = Harness.local(harness.allocate(&client).0.xorRelayedAddresses[0])
        #expect(harness.tick(.seconds(599)).isEmpty)
        #expect(harness.tick(.seconds(1)) == [
            .closeRelayPort(relayed), .event(.allocationDeleted(AllocationID(rawValue: 1), reason: .expired)),
        ])
    }

    @Test func nextDeadlineIsTheEarliestExpiry() throws {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        harness.allocate(&client)
        #expect(harness.core.nextDeadline == harness.now.monotonic + .seconds(600))
        _ = harness.send(client.request(.createPermission, [.xorPeerAddress(Fixture.peer1)]), from: client.fiveTuple)
        #expect(harness.core.nextDeadline == harness.now.monotonic + .seconds(40))  // the cached response
        _ = harness.tick(.seconds(40))
        #expect(harness.core.nextDeadline == harness.now.monotonic + .seconds(260))  // the permission
    }

    @Test func everythingIsGoneAfterExpiry() throws {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        harness.allocate(&client, [.evenPort(reserveNext: true)])
        _ = harness.send(client.request(.createPermission, [.xorPeerAddress(Fixture.peer1)]), from: client.fiveTuple)
        _ = harness.send(client.request(.channelBind, [.channelNumber(ChannelNumber(rawValue: 0x4000)), .xorPeerAddress(Fixture.peer2)]), from: client.fiveTuple)
        let actions = harness.tick(.seconds(600))
        #expect(actions.filter { if case .removeChannelRoute = $0 { true } else { false } }.count == 1)
        while let deadline = harness.core.nextDeadline {
            _ = harness.tick(deadline.since(harness.now.monotonic))
        }
        let core = harness.core
        #expect(core.allocations.isEmpty && core.allocationByTuple.isEmpty && core.allocationByRelay.isEmpty)
        #expect(core.portsInUse.isEmpty && core.reservations.isEmpty && core.users.isEmpty && core.pending.isEmpty)
        #expect(core.allocationBandwidth.isEmpty)
        #expect(core.timers.count == 0 && core.responseCache.count == 0)
    }

    @Test func refreshingDoesNotGrowTheTimerHeap() {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        harness.allocate(&client)
        let before = harness.core.timers.count
        for _ in 0..<100 {
            harness.advance(.seconds(1))
            _ = harness.send(client.request(.createPermission, [.xorPeerAddress(Fixture.peer1)]), from: client.fiveTuple)
            _ = harness.send(client.request(.refresh), from: client.fiveTuple)
            _ = harness.send(client.request(.channelBind, [.channelNumber(ChannelNumber(rawValue: 0x4000)), .xorPeerAddress(Fixture.peer1)]), from: client.fiveTuple)
        }
        #expect(harness.core.timers.count == before + 2)
    }

    @Test func administrativeDeleteEndsTheAllocation() throws {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        let relayed = Harness.local(harness.allocate(&client).0.xorRelayedAddresses[0])
        let deleted = harness.core.deleteAllocation(AllocationID(rawValue: 1), now: harness.now)
        #expect(deleted)
        let actions = harness.settle()
        #expect(actions == [.closeRelayPort(relayed), .event(.allocationDeleted(AllocationID(rawValue: 1), reason: .administrative))])
        let again = harness.core.deleteAllocation(AllocationID(rawValue: 1), now: harness.now)
        #expect(!again)
    }
}
