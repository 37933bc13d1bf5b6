import NIOCore
import STUNWire
import Testing
@testable import TURNCore

/// RFC 8489 §6.3.1 and RFC 8656 §7.2: a retransmitted request gets the identical response and
/// causes nothing twice.
@Suite struct RetransmissionTests {
    @Test func retransmittedAllocateGetsTheSameBytesAndNoSecondPort() throws {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        harness.login(&client)
        let request = client.request(.allocate, [.requestedTransport(17)])
        let first = harness.send(request, from: client.fiveTuple)
        let original = try #require(Decode.sentBytes(first).first)
        harness.advance(.seconds(100))
        let again = harness.send(request, from: client.fiveTuple)
        #expect(again == [.sendToClient(client.fiveTuple, original)])
        #expect(harness.core.allocationCount == 1)
    }

    @Test func retransmittedAllocateWhileThePortOpensIsAnsweredOnce() throws {
        var harness = Harness()
        harness.answerPortRequests = false
        var client = TestClient(Fixture.udp())
        harness.login(&client)
        let request = client.request(.allocate, [.requestedTransport(17)])
        let first = harness.send(request, from: client.fiveTuple)
        guard case .openRelayPorts(let ports) = try #require(first.first) else { return }
        #expect(harness.send(request, from: client.fiveTuple).isEmpty)
        #expect(harness.core.drops[.allocatePending] == 1)
        harness.core.relayOpened(ports.id, now: harness.now)
        #expect(Decode.responses(harness.settle()).count == 1)
    }

    @Test func retransmittedDeletingRefreshGetsTheSameSuccess() throws {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        harness.allocate(&client)
        let request = client.request(.refresh, [.lifetime(0)])
        let first = harness.send(request, from: client.fiveTuple)
        let original = try #require(Decode.sentBytes(first).first)
        harness.advance(.seconds(39))
        #expect(harness.send(request, from: client.fiveTuple) == [.sendToClient(client.fiveTuple, original)])
        // After the 40 s window the transaction is new again: no allocation, 437.
        harness.advance(.seconds(1))
        let late = harness.send(request, from: client.fiveTuple)
        #expect(Decode.responses(late).first?.errorCode?.code == 437)
    }

    @Test func errorResponsesAreCachedToo() throws {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        harness.login(&client)
        let request = client.request(.createPermission, [.xorPeerAddress(Fixture.peer1)])
        let first = try #require(Decode.sentBytes(harness.send(request, from: client.fiveTuple)).first)
        harness.allocate(&client)
        // The allocation exists now, but the retransmission still gets the 437 it got before.
        #expect(harness.send(request, from: client.fiveTuple) == [.sendToClient(client.fiveTuple, first)])
    }

    @Test func theCacheIsPerFiveTuple() throws {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        harness.allocate(&client)
        let id = TransactionID(high: 99, low: 99)
        _ = harness.send(client.request(.refresh, id: id), from: client.fiveTuple)
        var other = TestClient(Fixture.udp(Fixture.clientB), username: Fixture.otherUsername, password: Fixture.otherPassword)
        harness.login(&other)
        let actions = harness.send(other.request(.refresh, id: id), from: other.fiveTuple)
        #expect(Decode.responses(actions).first?.errorCode?.code == 437)
    }

    @Test func theCacheIsBounded() {
        var harness = Harness(Fixture.configuration { $0.retransmissionCacheCapacity = 2 })
        var client = TestClient(Fixture.udp())
        harness.allocate(&client)
        for _ in 0..<5 { _ = harness.send(client.request(.refresh), from: client.fiveTuple) }
        #expect(harness.core.responseCache.count == 2)
    }

    @Test func theCacheEmptiesAfterTheWindow() {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        harness.allocate(&client)
        _ = harness.send(client.request(.refresh), from: client.fiveTuple)
        #expect(harness.core.responseCache.count == 1)
        #expect(harness.core.nextDeadline == harness.now.monotonic + .seconds(40))
        _ = harness.tick(.seconds(40))
        #expect(harness.core.responseCache.count == 0)
    }
}
