import NIOCore
import STUNWire
import Testing
@testable import TURNCore

/// RFC 8656 §12.4-§12.7: ChannelData in both directions.
@Suite struct ChannelDataTests {
    static let channel = ChannelNumber(rawValue: 0x4ABC)

    static func channelData(_ channel: ChannelNumber, _ text: String, padded: Bool = false) -> ByteBuffer {
        var buffer = ByteBuffer()
        ChannelData(channel: channel, payload: ByteBuffer(string: text)).encode(into: &buffer, padded: padded)
        return buffer
    }

    static func bound(
        _ harness: inout Harness, _ fiveTuple: FiveTuple = Fixture.udp(), username: String = Fixture.username,
        password: String = Fixture.password
    ) -> (TestClient, TransportAddress) {
        var client = TestClient(fiveTuple, username: username, password: password)
        let (response, _) = harness.allocate(&client)
        let relayed = Harness.local(response.xorRelayedAddresses[0])
        _ = harness.send(client.request(.channelBind, [.channelNumber(channel), .xorPeerAddress(Fixture.peer1)]), from: fiveTuple)
        return (client, relayed)
    }

    @Test func clientToPeerIsReturnedAsARouteWithNoActions() {
        var harness = Harness()
        let (client, relayed) = Self.bound(&harness)
        let (route, actions) = harness.route(Self.channelData(Self.channel, "hello"), from: client.fiveTuple)
        #expect(route == .toPeer(relayed: relayed, peer: Fixture.peer1, payload: ByteBuffer(string: "hello"), dontFragment: false))
        #expect(actions.isEmpty)
    }

    @Test func paddedChannelDataOverUDPIsAccepted() {
        var harness = Harness()
        let (client, relayed) = Self.bound(&harness)
        let (route, _) = harness.route(Self.channelData(Self.channel, "hello", padded: true), from: client.fiveTuple)
        #expect(route == .toPeer(relayed: relayed, peer: Fixture.peer1, payload: ByteBuffer(string: "hello"), dontFragment: false))
    }

    @Test func peerToClientIsChannelDataWhenBound() {
        var harness = Harness()
        let (client, relayed) = Self.bound(&harness)
        let (route, actions) = harness.fromPeer(ByteBuffer(string: "back"), from: Fixture.peer1, to: relayed)
        #expect(route == .toClient(client.fiveTuple, channel: Self.channel, payload: ByteBuffer(string: "back")))
        #expect(actions.isEmpty)
    }

    @Test func samePeerIPOtherPortGetsADataIndication() throws {
        var harness = Harness()
        let (_, relayed) = Self.bound(&harness)
        let otherPort = TransportAddress(ip: Fixture.peer1.ip, port: 1234)
        let (route, actions) = harness.fromPeer(ByteBuffer(string: "x"), from: otherPort, to: relayed)
        #expect(route == .none)
        #expect(Decode.relayed(actions).first?.type == MessageType(.data, .indication))
    }

    @Test func streamClientsGetThePaddingTheShellAdds() throws {
        var harness = Harness()
        let (client, relayed) = Self.bound(&harness, Fixture.tcp())
        let frame = StreamFrame.channelData(ChannelData(channel: Self.channel, payload: ByteBuffer(string: "abc")))
        let route = harness.core.handleClientFrame(frame, from: client.fiveTuple, now: harness.now)
        #expect(route == .toPeer(relayed: relayed, peer: Fixture.peer1, payload: ByteBuffer(string: "abc"), dontFragment: false))
        #expect(client.fiveTuple.transport.isStream)
    }

    @Test func unboundChannelIsDroppedAndCounted() {
        var harness = Harness()
        let (client, _) = Self.bound(&harness)
        let (route, actions) = harness.route(Self.channelData(ChannelNumber(rawValue: 0x4001), "x"), from: client.fiveTuple)
        #expect(route == .none && actions.isEmpty)
        #expect(harness.core.drops[.unboundChannel] == 1)
    }

    @Test func channelDataWithoutAllocationIsDropped() {
        var harness = Harness()
        let (route, actions) = harness.route(Self.channelData(Self.channel, "x"), from: Fixture.udp(Fixture.clientB))
        #expect(route == .none && actions.isEmpty)
        #expect(harness.core.drops[.noAllocation] == 1)
    }

    @Test func channelWithExpiredPermissionDropsBothWays() {
        var harness = Harness()
        let (client, relayed) = Self.bound(&harness)
        _ = harness.tick(.seconds(300))
        #expect(harness.route(Self.channelData(Self.channel, "x"), from: client.fiveTuple).0 == .none)
        #expect(harness.core.drops[.noPermission] == 1)
        #expect(harness.fromPeer(ByteBuffer(string: "y"), from: Fixture.peer1, to: relayed).0 == .none)
        #expect(harness.core.drops[.peerNoPermission] == 1)
    }

    @Test func allocationBandwidthBudgetDropsTheExcess() {
        var harness = Harness(Fixture.configuration {
            $0.bandwidthPerAllocation = BandwidthLimit(bytesPerSecond: 10, burstBytes: 10)
        })
        let (client, _) = Self.bound(&harness)
        #expect(harness.route(Self.channelData(Self.channel, "12345678"), from: client.fiveTuple).0 != .none)
        #expect(harness.route(Self.channelData(Self.channel, "12345678"), from: client.fiveTuple).0 == .none)
        #expect(harness.core.drops[.allocationBandwidth] == 1)
        harness.advance(.seconds(1))
        #expect(harness.route(Self.channelData(Self.channel, "12345678"), from: client.fiveTuple).0 != .none)
    }

    /// With a bandwidth limit, no channel goes to the kernel fast path (it could not meter it);
    /// a reload that brings one in takes the installed routes off at once.
    @Test func aBandwidthLimitKeepsChannelsOffTheKernelPath() throws {
        var harness = Harness(Fixture.configuration {
            $0.bandwidthPerAllocation = BandwidthLimit(bytesPerSecond: 1000, burstBytes: 1000)
        })
        var client = TestClient(Fixture.udp())
        _ = harness.allocate(&client)
        let bind = harness.send(client.request(.channelBind, [.channelNumber(Self.channel), .xorPeerAddress(Fixture.peer1)]), from: client.fiveTuple)
        #expect(Decode.responses(bind).first?.type == MessageType(.channelBind, .successResponse))
        #expect(!bind.contains { if case .installChannelRoute = $0 { true } else { false } })

        var unlimited = Harness()
        var other = TestClient(Fixture.udp())
        _ = unlimited.allocate(&other)
        let installed = unlimited.send(other.request(.channelBind, [.channelNumber(Self.channel), .xorPeerAddress(Fixture.peer1)]), from: other.fiveTuple)
        #expect(installed.contains { if case .installChannelRoute = $0 { true } else { false } })
        var limited = unlimited.core.configuration
        limited.bandwidthPerUser = BandwidthLimit(bytesPerSecond: 1000, burstBytes: 1000)
        unlimited.core.reload(limited)
        let withdrawn = unlimited.core.drainActions()
        #expect(withdrawn.contains { if case .removeChannelRoute = $0 { true } else { false } })
        // Traffic still flows, metered, through userspace.
        #expect(unlimited.route(Self.channelData(Self.channel, "hello"), from: other.fiveTuple).0 != .none)
    }

    @Test func userBandwidthBudgetIsSharedByTheUsersAllocations() {
        var harness = Harness(Fixture.configuration {
            $0.bandwidthPerUser = BandwidthLimit(bytesPerSecond: 10, burstBytes: 10)
        })
        let (first, _) = Self.bound(&harness)
        let (second, _) = Self.bound(&harness, Fixture.udp(Fixture.clientB))
        #expect(harness.route(Self.channelData(Self.channel, "123456"), from: first.fiveTuple).0 != .none)
        #expect(harness.route(Self.channelData(Self.channel, "123456"), from: second.fiveTuple).0 == .none)
        #expect(harness.core.drops[.userBandwidth] == 1)
    }

    @Test func channelToAnotherAllocationIsDeliveredInternally() throws {
        var harness = Harness()
        // B allocates and permits A's relayed address; A binds a channel to B's relayed address.
        var alice = TestClient(Fixture.udp())
        let aliceRelayed = harness.allocate(&alice).0.xorRelayedAddresses[0]
        var bob = TestClient(Fixture.udp(Fixture.clientB), username: Fixture.otherUsername, password: Fixture.otherPassword)
        let bobRelayed = harness.allocate(&bob).0.xorRelayedAddresses[0]
        let bobPermits = harness.send(bob.request(.createPermission, [.xorPeerAddress(aliceRelayed)]), from: bob.fiveTuple)
        #expect(Decode.responses(bobPermits).first?.type.messageClass == .successResponse)
        let aliceBinds = harness.send(
            alice.request(.channelBind, [.channelNumber(Self.channel), .xorPeerAddress(bobRelayed)]), from: alice.fiveTuple)
        #expect(Decode.responses(aliceBinds).first?.type.messageClass == .successResponse)

        // A's ChannelData arrives at B as a Data indication from A's relayed address.
        let (route, actions) = harness.route(Self.channelData(Self.channel, "inside"), from: alice.fiveTuple)
        #expect(route == .none)
        let indication = try #require(Decode.relayed(actions).first)
        #expect(actions.count == 1)
        guard case .relayToClient(let to, _) = actions[0] else { return }
        #expect(to == bob.fiveTuple)
        #expect(indication.xorPeerAddresses == [aliceRelayed])
        #expect(indication.data == ByteBuffer(string: "inside"))

        // Once B binds a channel to A, it arrives as ChannelData, returned directly.
        _ = harness.send(bob.request(.channelBind, [.channelNumber(ChannelNumber(rawValue: 0x4001)), .xorPeerAddress(aliceRelayed)]), from: bob.fiveTuple)
        let (direct, none) = harness.route(Self.channelData(Self.channel, "fast"), from: alice.fiveTuple)
        #expect(direct == .toClient(bob.fiveTuple, channel: ChannelNumber(rawValue: 0x4001), payload: ByteBuffer(string: "fast")))
        #expect(none.isEmpty)
    }
}

/// The usage an allocation's deletion reports: what userspace relayed for it, each way.
@Suite struct AllocationUsageTests {
    @Test func theDeletionEventCarriesTheRelayedTraffic() throws {
        var harness = Harness()
        let bound = ChannelDataTests.bound(&harness)
        var client = bound.0
        let relayed = bound.1
        for _ in 0..<3 { _ = harness.route(ChannelDataTests.channelData(ChannelDataTests.channel, "hello"), from: client.fiveTuple) }
        for _ in 0..<2 { _ = harness.fromPeer(ByteBuffer(string: "back!!!"), from: Fixture.peer1, to: relayed) }
        let actions = harness.send(client.request(.refresh, [.lifetime(0)]), from: client.fiveTuple)
        var usage = TrafficCounters()
        usage.packetsToPeer = 3
        usage.bytesToPeer = 15
        usage.packetsToClient = 2
        usage.bytesToClient = 14
        #expect(Decode.events(actions).first == .allocationDeleted(AllocationID(rawValue: 1), reason: .refreshedToZero, usage: usage))
    }
}
