import NIOCore
import STUNWire
import Testing
@testable import TURNCore

/// RFC 8656 §12.2: receiving a ChannelBind request.
@Suite struct ChannelBindTests {
    static let channel = ChannelNumber(rawValue: 0x4000)

    static func allocated(_ harness: inout Harness) -> (TestClient, TransportAddress) {
        var client = TestClient(Fixture.udp())
        let (response, _) = harness.allocate(&client)
        return (client, Harness.local(response.xorRelayedAddresses[0]))
    }

    static func bind(_ client: inout TestClient, _ channel: ChannelNumber, _ peer: TransportAddress) -> ByteBuffer {
        client.request(.channelBind, [.channelNumber(channel), .xorPeerAddress(peer)])
    }

    @Test func routeIsInstalledBeforeTheSuccessResponse() throws {
        var harness = Harness()
        var (client, relayed) = Self.allocated(&harness)
        let actions = harness.send(Self.bind(&client, Self.channel, Fixture.peer1), from: client.fiveTuple)
        let route = ChannelRoute(
            allocation: AllocationID(rawValue: 1), fiveTuple: client.fiveTuple, channel: Self.channel,
            relayed: relayed, peer: Fixture.peer1)
        #expect(actions.count == 3)
        #expect(actions[0] == .installChannelRoute(route))
        guard case .sendToClient(_, let bytes) = actions[1] else {
            Issue.record("expected the response after the route")
            return
        }
        #expect(client.verify(bytes))
        #expect(try STUNMessage.decode(bytes).message.type == MessageType(.channelBind, .successResponse))
        #expect(actions[2] == .event(.requestAnswered(method: .channelBind, errorCode: nil)))
    }

    @Test(arguments: [UInt16(0x3FFF), 0x8000, 0xFFFF, 0x0000])
    func numbersOutsideTheRangeAre400(_ number: UInt16) {
        var harness = Harness()
        var (client, _) = Self.allocated(&harness)
        let actions = harness.send(Self.bind(&client, ChannelNumber(rawValue: number), Fixture.peer1), from: client.fiveTuple)
        #expect(Decode.responses(actions).first?.errorCode?.code == 400)
        #expect(!actions.contains { if case .installChannelRoute = $0 { true } else { false } })
    }

    /// RFC 5766 §11 numbers above RFC 8656's range are accepted (see `ChannelNumber.validRange`).
    @Test(arguments: [UInt16(0x5000), 0x7FFF])
    func rfc5766NumbersAreAccepted(_ number: UInt16) throws {
        var harness = Harness()
        var (client, _) = Self.allocated(&harness)
        let actions = harness.send(Self.bind(&client, ChannelNumber(rawValue: number), Fixture.peer1), from: client.fiveTuple)
        #expect(Decode.responses(actions).first?.type == MessageType(.channelBind, .successResponse))
        #expect(actions.contains { if case .installChannelRoute = $0 { true } else { false } })
    }

    @Test func missingAttributesAre400() {
        var harness = Harness()
        var (client, _) = Self.allocated(&harness)
        let noPeer = harness.send(client.request(.channelBind, [.channelNumber(Self.channel)]), from: client.fiveTuple)
        #expect(Decode.responses(noPeer).first?.errorCode?.code == 400)
        let noNumber = harness.send(client.request(.channelBind, [.xorPeerAddress(Fixture.peer1)]), from: client.fiveTuple)
        #expect(Decode.responses(noNumber).first?.errorCode?.code == 400)
    }

    @Test func conflictsAre400() {
        var harness = Harness()
        var (client, _) = Self.allocated(&harness)
        _ = harness.send(Self.bind(&client, Self.channel, Fixture.peer1), from: client.fiveTuple)
        // The number is bound to another peer.
        let numberTaken = harness.send(Self.bind(&client, Self.channel, Fixture.peer2), from: client.fiveTuple)
        #expect(Decode.responses(numberTaken).first?.errorCode?.code == 400)
        // The peer is bound to another number.
        let peerTaken = harness.send(Self.bind(&client, ChannelNumber(rawValue: 0x4001), Fixture.peer1), from: client.fiveTuple)
        #expect(Decode.responses(peerTaken).first?.errorCode?.code == 400)
        // Same peer, other port: a different transport address, so it may take another number.
        let otherPort = TransportAddress(ip: Fixture.peer1.ip, port: 1)
        let ok = harness.send(Self.bind(&client, ChannelNumber(rawValue: 0x4001), otherPort), from: client.fiveTuple)
        #expect(Decode.responses(ok).first?.type.messageClass == .successResponse)
    }

    @Test func peerPortZeroIs400AndBindsNothing() {
        var harness = Harness()
        var (client, _) = Self.allocated(&harness)
        let actions = harness.send(Self.bind(&client, Self.channel, TransportAddress(ip: Fixture.peer1.ip, port: 0)), from: client.fiveTuple)
        #expect(Decode.responses(actions).first?.errorCode?.code == 400)
        #expect(!actions.contains { if case .installChannelRoute = $0 { true } else { false } })
        // The same number and address on a real port binds: nothing was held for port 0.
        let ok = harness.send(Self.bind(&client, Self.channel, Fixture.peer1), from: client.fiveTuple)
        #expect(Decode.responses(ok).first?.type.messageClass == .successResponse)
    }

    @Test func refusedPeerIs403AndFamilyMismatchIs443() {
        var harness = Harness()
        var (client, _) = Self.allocated(&harness)
        let refused = harness.send(Self.bind(&client, Self.channel, TransportAddress("192.168.1.1:53")!), from: client.fiveTuple)
        #expect(Decode.responses(refused).first?.errorCode?.code == 403)
        let ownServer = harness.send(Self.bind(&client, Self.channel, TransportAddress(ip: Fixture.relayPublicV4, port: 3478)), from: client.fiveTuple)
        #expect(Decode.responses(ownServer).first?.errorCode?.code == 403)
        let mismatch = harness.send(Self.bind(&client, Self.channel, Fixture.peerV6), from: client.fiveTuple)
        #expect(Decode.responses(mismatch).first?.errorCode?.code == 443)
    }

    @Test func rebindRefreshesAndReinstallsTheRoute() throws {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        let relayed = Harness.local(harness.allocate(&client, [.lifetime(3600)]).0.xorRelayedAddresses[0])
        _ = harness.send(Self.bind(&client, Self.channel, Fixture.peer1), from: client.fiveTuple)
        _ = harness.tick(.seconds(280))
        let again = harness.send(Self.bind(&client, Self.channel, Fixture.peer1), from: client.fiveTuple)
        let route = ChannelRoute(
            allocation: AllocationID(rawValue: 1), fiveTuple: client.fiveTuple, channel: Self.channel,
            relayed: relayed, peer: Fixture.peer1)
        #expect(again.first == .installChannelRoute(route))
        _ = harness.tick(.seconds(270))
        _ = harness.send(client.request(.createPermission, [.xorPeerAddress(Fixture.peer1)]), from: client.fiveTuple)
        // 610 s after the first bind, the refreshed binding (until 880 s) still routes.
        #expect(harness.tick(.seconds(60)).isEmpty)
        let (routed, _) = harness.route(ChannelDataTests.channelData(Self.channel, "late"), from: client.fiveTuple)
        #expect(routed == .toPeer(relayed: relayed, peer: Fixture.peer1, payload: ByteBuffer(string: "late"), dontFragment: false))
        // And it ends 600 s after the rebind.
        #expect(harness.tick(.seconds(270)) == [.removeChannelRoute(route)])
    }

    @Test func expiryRemovesTheRouteAndCoolDownHoldsThePairing() throws {
        var harness = Harness(Fixture.configuration { $0.maximumLifetime = .seconds(3600) })
        var client = TestClient(Fixture.udp())
        let (response, _) = harness.allocate(&client, [.lifetime(3600)])
        let relayed = Harness.local(response.xorRelayedAddresses[0])
        _ = harness.send(Self.bind(&client, Self.channel, Fixture.peer1), from: client.fiveTuple)
        let route = ChannelRoute(
            allocation: AllocationID(rawValue: 1), fiveTuple: client.fiveTuple, channel: Self.channel,
            relayed: relayed, peer: Fixture.peer1)
        // The permission ends at 300 s: the route goes with it.
        #expect(harness.tick(.seconds(300)) == [.removeChannelRoute(route)])
        // A CreatePermission brings it back while the channel is still bound.
        let back = harness.send(client.request(.createPermission, [.xorPeerAddress(Fixture.peer1)]), from: client.fiveTuple)
        #expect(back.first == .installChannelRoute(route))
        // The channel ends at 600 s.
        #expect(harness.tick(.seconds(300)) == [.removeChannelRoute(route)])
        // Cooling down: neither the number nor the peer may be re-paired...
        let other = harness.send(Self.bind(&client, Self.channel, Fixture.peer2), from: client.fiveTuple)
        #expect(Decode.responses(other).first?.errorCode?.code == 400)
        let otherNumber = harness.send(Self.bind(&client, ChannelNumber(rawValue: 0x4001), Fixture.peer1), from: client.fiveTuple)
        #expect(Decode.responses(otherNumber).first?.errorCode?.code == 400)
        // ...until 300 s later.
        _ = harness.tick(.seconds(300))
        let free = harness.send(Self.bind(&client, Self.channel, Fixture.peer2), from: client.fiveTuple)
        #expect(Decode.responses(free).first?.type.messageClass == .successResponse)
    }

    @Test func theSamePairMayBeReboundDuringTheCoolDown() {
        var harness = Harness(Fixture.configuration { $0.maximumLifetime = .seconds(3600) })
        var client = TestClient(Fixture.udp())
        harness.allocate(&client, [.lifetime(3600)])
        _ = harness.send(Self.bind(&client, Self.channel, Fixture.peer1), from: client.fiveTuple)
        _ = harness.tick(.seconds(650))
        let again = harness.send(Self.bind(&client, Self.channel, Fixture.peer1), from: client.fiveTuple)
        #expect(Decode.responses(again).first?.type.messageClass == .successResponse)
        #expect(again.contains { if case .installChannelRoute = $0 { true } else { false } })
    }

    @Test func rebindAfterThePermissionLapsedRestoresEveryRouteToThatIPOnce() {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        let relayed = Harness.local(harness.allocate(&client, [.lifetime(3600)]).0.xorRelayedAddresses[0])
        let second = TransportAddress(ip: Fixture.peer1.ip, port: 7777)
        _ = harness.send(Self.bind(&client, ChannelNumber(rawValue: 0x4001), Fixture.peer1), from: client.fiveTuple)
        _ = harness.send(Self.bind(&client, ChannelNumber(rawValue: 0x4000), second), from: client.fiveTuple)
        func route(_ number: UInt16, _ peer: TransportAddress) -> ChannelRoute {
            ChannelRoute(allocation: AllocationID(rawValue: 1), fiveTuple: client.fiveTuple,
                         channel: ChannelNumber(rawValue: number), relayed: relayed, peer: peer)
        }
        #expect(harness.tick(.seconds(300)) == [.removeChannelRoute(route(0x4000, second)), .removeChannelRoute(route(0x4001, Fixture.peer1))])
        let actions = harness.send(Self.bind(&client, ChannelNumber(rawValue: 0x4001), Fixture.peer1), from: client.fiveTuple)
        #expect(Array(actions.prefix(2)) == [.installChannelRoute(route(0x4000, second)), .installChannelRoute(route(0x4001, Fixture.peer1))])
        #expect(actions.count == 4)
    }

    @Test func channelLimitIs508AndCoolingDownChannelsCount() {
        var harness = Harness(Fixture.configuration { $0.channelsPerAllocation = 2 })
        var client = TestClient(Fixture.udp())
        harness.allocate(&client, [.lifetime(3600)])
        for (index, port) in [UInt16(1), 2].enumerated() {
            let peer = TransportAddress(ip: Fixture.peer1.ip, port: port)
            let ok = harness.send(Self.bind(&client, ChannelNumber(rawValue: 0x4000 + UInt16(index)), peer), from: client.fiveTuple)
            #expect(Decode.responses(ok).first?.type.messageClass == .successResponse)
        }
        let third = harness.send(Self.bind(&client, ChannelNumber(rawValue: 0x4002), Fixture.peer2), from: client.fiveTuple)
        #expect(Decode.responses(third).first?.errorCode?.code == 508)
        // Rebinding an existing number is not a new channel.
        let rebind = harness.send(Self.bind(&client, Self.channel, TransportAddress(ip: Fixture.peer1.ip, port: 1)), from: client.fiveTuple)
        #expect(Decode.responses(rebind).first?.type.messageClass == .successResponse)
        // Expired but cooling down still holds its number; after the cool-down there is room.
        _ = harness.tick(.seconds(600))
        let cooling = harness.send(Self.bind(&client, ChannelNumber(rawValue: 0x4002), Fixture.peer2), from: client.fiveTuple)
        #expect(Decode.responses(cooling).first?.errorCode?.code == 508)
        _ = harness.tick(.seconds(300))
        let room = harness.send(Self.bind(&client, ChannelNumber(rawValue: 0x4002), Fixture.peer2), from: client.fiveTuple)
        #expect(Decode.responses(room).first?.type.messageClass == .successResponse)
    }
}
