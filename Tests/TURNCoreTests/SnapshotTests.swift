import NIOCore
import STUNWire
import Testing
@testable import TURNCore

/// The admin API's read-only views and the operator's delete.
@Suite struct SnapshotTests {
    @Test func snapshotShowsPermissionsChannelsTrafficAndLifetimes() throws {
        var harness = Harness()
        let (client, relayed) = ChannelDataTests.bound(&harness)
        _ = harness.route(ChannelDataTests.channelData(ChannelDataTests.channel, "hello"), from: client.fiveTuple)
        _ = harness.fromPeer(ByteBuffer(string: "back!!"), from: Fixture.peer1, to: relayed)
        harness.advance(.seconds(10))

        let snapshots = harness.core.allocationSnapshots(now: harness.now.monotonic)
        let snapshot = try #require(snapshots.first)
        #expect(snapshots.count == 1)
        #expect(snapshot.fiveTuple == client.fiveTuple)
        #expect(snapshot.user == Fixture.username)
        #expect(snapshot.relays.map(\.address.local) == [relayed])
        #expect(snapshot.age == .seconds(10))
        #expect(snapshot.lifetimeLeft == .seconds(600 - 10))
        #expect(snapshot.permissions.map(\.peer) == [Fixture.peer1.ip])
        #expect(snapshot.channels.map(\.number) == [ChannelDataTests.channel])
        #expect(snapshot.channels.first?.peer == Fixture.peer1)
        #expect(snapshot.channels.first?.bound == true)
        #expect(snapshot.traffic.packets(.toPeer) == 1)
        #expect(snapshot.traffic.bytes(.toPeer) == 5)
        #expect(snapshot.traffic.packets(.toClient) == 1)
        #expect(snapshot.traffic.bytes(.toClient) == 6)
        #expect(snapshot.familyLabel == "ipv4")
        #expect(harness.core.allocationSnapshot(snapshot.id, now: harness.now.monotonic) == snapshot)
    }

    @Test func statisticsCountAllocationsPermissionsChannelsAndTraffic() {
        var harness = Harness()
        let (client, _) = ChannelDataTests.bound(&harness)
        _ = harness.route(ChannelDataTests.channelData(ChannelDataTests.channel, "abc"), from: client.fiveTuple)
        let statistics = harness.core.statistics(now: harness.now.monotonic)
        #expect(statistics.allocationCount == 1)
        #expect(statistics.allocations[CoreStatistics.AllocationKind(family: "ipv4", transport: .udp)] == 1)
        #expect(statistics.permissions == 1)
        #expect(statistics.channels == 1)
        #expect(statistics.traffic.bytes(.toPeer) == 3)
        #expect(statistics.traffic.packets(.toClient) == 0)
    }

    @Test func rateIsTheLastSecondsBytesAndFallsToZeroWhenIdle() throws {
        var harness = Harness()
        let (client, _) = ChannelDataTests.bound(&harness)
        let payload = String(repeating: "x", count: 100)
        for _ in 0..<10 {
            _ = harness.route(ChannelDataTests.channelData(ChannelDataTests.channel, payload), from: client.fiveTuple)
            harness.advance(.milliseconds(100))
        }
        _ = harness.route(ChannelDataTests.channelData(ChannelDataTests.channel, payload), from: client.fiveTuple)
        let id = try #require(harness.core.allocationSnapshots(now: harness.now.monotonic).first?.id)
        #expect(harness.core.allocationSnapshot(id, now: harness.now.monotonic)?.bytesPerSecond == 1_000)
        harness.advance(.seconds(5))
        #expect(harness.core.allocationSnapshot(id, now: harness.now.monotonic)?.bytesPerSecond == 0)
    }

    @Test func operatorDeleteClosesPortsRemovesRoutesAndStopsRelaying() throws {
        var harness = Harness()
        let (client, relayed) = ChannelDataTests.bound(&harness)
        let ids = harness.core.allocationIDs(user: Fixture.username)
        #expect(ids.count == 1)
        let existed = harness.core.deleteAllocation(ids[0], reason: .administrative, now: harness.now)
        #expect(existed)
        let actions = harness.settle()
        #expect(actions.contains(.closeRelayPort(relayed)))
        #expect(actions.contains { if case .removeChannelRoute = $0 { true } else { false } })
        #expect(actions.contains(.event(.allocationDeleted(ids[0], reason: .administrative))))
        let (route, _) = harness.route(ChannelDataTests.channelData(ChannelDataTests.channel, "late"), from: client.fiveTuple)
        #expect(route == .none)
        #expect(harness.core.allocationSnapshots(now: harness.now.monotonic).isEmpty)
        let again = harness.core.deleteAllocation(ids[0], reason: .administrative, now: harness.now)
        #expect(!again)
    }
}
