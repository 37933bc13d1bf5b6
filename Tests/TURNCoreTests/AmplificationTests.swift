import NIOCore
import STUNWire
import Testing
@testable import TURNCore

/// Unauthenticated replies (401/438/400/420 and Binding responses) must not let the server
/// reflect more bytes than it receives: per source (`ReplyRateLimiter`) and over all sources
/// (`AmplificationBudget`), the latter against floods that spoof a new source for every request.
@Suite struct AmplificationTests {
    /// A one-shot flood: every request from a source (an IPv4 address or an IPv6 /64) never seen before.
    enum Flood: String, CaseIterable, CustomTestStringConvertible {
        case allocateFromIPv4Sources
        case allocateFromIPv6Subnets
        case bindingFromIPv4Sources
        case bindingFromIPv6Subnets

        var testDescription: String { rawValue }

        func source(_ index: Int) -> TransportAddress {
            switch self {
            case .allocateFromIPv4Sources, .bindingFromIPv4Sources:
                TransportAddress(ip: .v4(IPv4Address(rawValue: 0x0B00_0000 | UInt32(index))), port: 40_000)
            case .allocateFromIPv6Subnets, .bindingFromIPv6Subnets:
                // 2001:db8:0:INDEX::1, one /64 each.
                TransportAddress(ip: .v6(IPv6Address(rawValue: (UInt128(0x2001_0DB8_0000_0000) | UInt128(index)) << 64 | 1)), port: 40_000)
            }
        }

        /// The smallest request of its kind: what an attacker sends.
        func request(_ client: inout TestClient) -> ByteBuffer {
            switch self {
            case .allocateFromIPv4Sources, .allocateFromIPv6Subnets:
                client.plainRequest(.allocate, [.requestedTransport(17)])
            case .bindingFromIPv4Sources, .bindingFromIPv6Subnets:
                client.plainRequest(.binding)
            }
        }
    }

    /// What a flood sent and what came back, summed from the actions the core emitted.
    struct FloodResult {
        var requestBytes = 0
        var replyBytes = 0
        var replies = 0
        var replySizes: Set<Int> = []
        var requestSizes: Set<Int> = []
    }

    static let floodSize = 20_000
    static let nanosecondsPerSecond: UInt64 = 1_000_000_000

    /// Sends `count` one-shot requests, `interval` apart, each from a new source.
    static func flood(
        _ flood: Flood, count: Int, interval: Duration, into harness: inout Harness, firstSource: Int = 0
    ) -> FloodResult {
        var attacker = TestClient(Fixture.udp())
        var result = FloodResult()
        for index in firstSource..<(firstSource + count) {
            harness.advance(interval)
            let request = flood.request(&attacker)
            result.requestBytes += request.readableBytes
            result.requestSizes.insert(request.readableBytes)
            for reply in Decode.sentBytes(harness.send(request, from: Fixture.udp(flood.source(index)))) {
                result.replies += 1
                result.replyBytes += reply.readableBytes
                result.replySizes.insert(reply.readableBytes)
            }
        }
        return result
    }

    @Test(arguments: Flood.allCases)
    func spoofedOneShotFloodIsNotAmplified(_ flood: Flood) throws {
        let configuration = Fixture.configuration()
        var harness = Harness(configuration)
        // 10,000 requests a second, the rate of tests/hardening's floods.
        let interval = Duration.microseconds(100)
        let result = Self.flood(flood, count: Self.floodSize, interval: interval, into: &harness)

        let requestSize = try #require(result.requestSizes.count == 1 ? result.requestSizes.first : nil)
        let replySize = try #require(result.replySizes.count == 1 ? result.replySizes.first : nil)
        let elapsed = harness.now.monotonic.nanoseconds - Fixture.start.monotonic.nanoseconds
        let refill = Int(configuration.amplificationBytesPerSecond * elapsed / Self.nanosecondsPerSecond)
        // Requests that never authenticate earn half their size.
        let bound = Self.floodSize * (requestSize / 2) + Int(configuration.amplificationBurst) + refill
        // The attack is real: each reply is larger than its request, and answering every request
        // would break the bound.
        #expect(replySize > requestSize)
        #expect(replySize * Self.floodSize > bound)

        #expect(result.replyBytes <= bound)
        // A flood this size (more than twice the burst and refill) is answered with fewer bytes
        // than it sent: the ratio tests/hardening measures on the wire.
        #expect(result.replyBytes <= result.requestBytes)
        // The credit is used, not wasted: unspent is less than one reply (the credit in hand) plus
        // what the first request brought while the credit was full (its bytes and its interval's refill).
        let refillPerInterval = Int(configuration.amplificationBytesPerSecond * interval.nanosecondsClamped / Self.nanosecondsPerSecond) + 1
        #expect(bound - result.replyBytes < replySize + requestSize / 2 + refillPerInterval)
        // Every request not answered is counted, and only as over the amplification budget: one
        // request per source never reaches the per-source budget.
        let drops = harness.core.drops
        #expect(result.replies + Int(drops[.amplificationLimited]) == Self.floodSize)
        #expect(drops[.amplificationLimited] > 0)
        #expect(drops[.replyRateLimited] == 0)
        #expect(drops.total == drops[.amplificationLimited])
    }

    @Test func bindingFloodFromOneSourceIsLimitedBySourceFirst() throws {
        var harness = Harness(Fixture.configuration {
            $0.unauthenticatedReplyBurst = 5
            $0.unauthenticatedRepliesPerSecond = 2
        })
        var client = TestClient(Fixture.udp())
        var replies: [ByteBuffer] = []
        var requestBytes = 0
        for _ in 0..<100 {
            let request = client.plainRequest(.binding)
            requestBytes += request.readableBytes
            replies += Decode.sentBytes(harness.send(request, from: client.fiveTuple))
        }
        #expect(replies.count == 5)
        // A Binding response to an IPv4 source: header and XOR-MAPPED-ADDRESS (RFC 8489 §14.2).
        #expect(replies.allSatisfy { $0.readableBytes == 32 })
        #expect(requestBytes == 100 * 20)
        #expect(harness.core.drops[.replyRateLimited] == 95)
        #expect(harness.core.drops[.amplificationLimited] == 0)
        // Refused by its source's budget before encoding, a request spends no byte credit, and
        // still earns: the credit is back at its burst.
        #expect(harness.core.amplificationBudget.available == harness.core.configuration.amplificationBurst)
        // The source's budget refills at its rate; other sources have their own.
        var other = TestClient(Fixture.udp(Fixture.clientB))
        #expect(Decode.sentBytes(harness.send(other.plainRequest(.binding), from: other.fiveTuple)).count == 1)
        harness.advance(.milliseconds(499))
        #expect(Decode.sentBytes(harness.send(client.plainRequest(.binding), from: client.fiveTuple)).isEmpty)
        harness.advance(.milliseconds(1))
        #expect(Decode.sentBytes(harness.send(client.plainRequest(.binding), from: client.fiveTuple)).count == 1)
        #expect(harness.core.drops[.replyRateLimited] == 96)
    }

    @Test func bindingResponsesSpendExactlyTheirSize() {
        // No refill, a 40-byte credit: a 32-byte IPv4 reflection fits, a 44-byte IPv6 one never does.
        var harness = Harness(Fixture.configuration {
            $0.amplificationBurst = 40
            $0.amplificationBytesPerSecond = 0
        })
        var v4 = TestClient(Fixture.udp())
        var v6 = TestClient(Fixture.udp(Fixture.clientV6))
        #expect(Decode.sentBytes(harness.send(v6.plainRequest(.binding), from: v6.fiveTuple)).isEmpty)
        #expect(harness.core.drops[.amplificationLimited] == 1)
        // A Binding never authenticates, so its 20 bytes earn 10.
        // 40 (full; the request's 10 are over the cap) - 32 = 8.
        #expect(Decode.sentBytes(harness.send(v4.plainRequest(.binding), from: v4.fiveTuple)).map(\.readableBytes) == [32])
        #expect(harness.core.amplificationBudget.available == 8)
        // 8 + 10 = 18 < 32: dropped; 18 + 10 = 28 < 32: dropped.
        #expect(Decode.sentBytes(harness.send(v4.plainRequest(.binding), from: v4.fiveTuple)).isEmpty)
        #expect(harness.core.amplificationBudget.available == 18)
        #expect(Decode.sentBytes(harness.send(v4.plainRequest(.binding), from: v4.fiveTuple)).isEmpty)
        #expect(harness.core.amplificationBudget.available == 28)
        // 28 + 10 = 38: answered, 6 left.
        #expect(Decode.sentBytes(harness.send(v4.plainRequest(.binding), from: v4.fiveTuple)).count == 1)
        #expect(harness.core.amplificationBudget.available == 6)
        #expect(harness.core.drops[.amplificationLimited] == 3)
        #expect(harness.core.drops.total == 3)
    }

    /// RFC 8489 §6.2.1: a client sends a request at 0 and retransmits after RTO (500 ms),
    /// doubling the wait each time, Rc = 7 transmissions in all.
    static let retransmissionOffsets: [Duration] = [0, 500, 1500, 3500, 7500, 15_500, 31_500].map { .milliseconds($0) }

    @Test(arguments: [UInt64(1024), 8192])
    func legitimateClientAuthenticatesAfterAFlood(bytesPerSecond: UInt64) throws {
        var harness = Harness(Fixture.configuration { $0.amplificationBytesPerSecond = bytesPerSecond })
        // A flood at one instant spends the whole credit.
        let flood = Self.flood(.allocateFromIPv4Sources, count: 2000, interval: .zero, into: &harness)
        let challengeSize = try #require(flood.replySizes.first)
        let afterFlood = harness.core.amplificationBudget.available
        #expect(harness.core.drops[.amplificationLimited] > 0)
        #expect(afterFlood < UInt64(challengeSize))

        // The client's first Allocate and its retransmissions, same transaction (RFC 8489 §6.2.1).
        var client = TestClient(Fixture.udp())
        let allocate = client.plainRequest(.allocate, [.requestedTransport(17)], id: client.newTransactionID())
        let start = harness.now
        var transmissions = 0
        var challenge: STUNMessage?
        for offset in Self.retransmissionOffsets where challenge == nil {
            harness.now = start
            harness.advance(offset)
            transmissions += 1
            challenge = Decode.responses(harness.send(allocate, from: client.fiveTuple)).first
        }
        let unauthorized = try #require(challenge)
        #expect(unauthorized.errorCode?.code == 401)
        // The refill in the 500 ms before the first retransmission (512 B at 1 KiB/s) pays for a
        // 401 at the latest.
        #expect(transmissions <= 2)

        let nonce = try #require(unauthorized.nonce)
        client.nonce = nonce
        let beforeAuthenticated = harness.core.amplificationBudget.available
        let authenticated = client.request(.allocate, [.requestedTransport(17)])
        let actions = harness.send(authenticated, from: client.fiveTuple)
        #expect(Decode.responses(actions).last?.type == MessageType(.allocate, .successResponse))
        #expect(harness.core.allocationCount == 1)
        // The authenticated request is larger than the 401 it answers, earns its size (half on
        // arrival, half once authenticated), and its
        // (authenticated) response spends nothing: legitimate traffic leaves the credit higher.
        #expect(authenticated.readableBytes > challengeSize)
        #expect(harness.core.amplificationBudget.available == beforeAuthenticated + UInt64(authenticated.readableBytes))
    }

    @Test func authenticatedRequestsEarnCredit() throws {
        // No refill: requests are the only source of credit.
        var harness = Harness(Fixture.configuration { $0.amplificationBytesPerSecond = 0 })
        var client = TestClient(Fixture.udp())
        let (allocated, _) = harness.allocate(&client)
        #expect(allocated.type == MessageType(.allocate, .successResponse))
        let flood = Self.flood(.allocateFromIPv4Sources, count: 2000, interval: .zero, into: &harness, firstSource: 1)
        let challengeSize = UInt64(try #require(flood.replySizes.first))
        // Flood on (a request at a time) until a stranger's 401 would not fit: after the next
        // reply the credit is below one request.
        var source = 2001
        // (An unauthenticated 28-byte Allocate earns 14.)
        while harness.core.amplificationBudget.available + 14 >= challengeSize, source < 2100 {
            _ = Self.flood(.allocateFromIPv4Sources, count: 1, interval: .zero, into: &harness, firstSource: source)
            source += 1
        }
        let drained = harness.core.amplificationBudget.available
        #expect(drained + 14 < challengeSize)

        let requests = [
            client.request(.refresh),
            client.request(.createPermission, [.xorPeerAddress(Fixture.peer1)]),
            client.request(.channelBind, [.channelNumber(ChannelNumber(rawValue: 0x4000)), .xorPeerAddress(Fixture.peer1)]),
        ]
        var earned: UInt64 = 0
        for request in requests {
            let before = harness.core.amplificationBudget.available
            let response = try #require(Decode.responses(harness.send(request, from: client.fiveTuple)).first)
            #expect(response.type.messageClass == .successResponse)
            #expect(harness.core.amplificationBudget.available == before + UInt64(request.readableBytes))
            earned += UInt64(request.readableBytes)
        }
        #expect(harness.core.amplificationBudget.available == drained + earned)

        // What they earned pays for the next newcomer's challenge.
        var stranger = TestClient(Fixture.udp(Fixture.clientB))
        let actions = harness.send(stranger.plainRequest(.allocate, [.requestedTransport(17)]), from: stranger.fiveTuple)
        let bytes = try #require(Decode.sentBytes(actions).first)
        #expect(Decode.responses(actions).first?.errorCode?.code == 401)
        #expect(UInt64(bytes.readableBytes) == challengeSize)
        #expect(harness.core.amplificationBudget.available == drained + earned + 14 - challengeSize)
    }

    @Test func streamClientsSpendNeitherBudget() {
        // TCP and TLS sources were proven by the handshake: nothing to reflect, and a stream
        // client never retransmits a request whose reply was withheld (RFC 8489 §6.2.2).
        var harness = Harness(Fixture.configuration {
            $0.unauthenticatedReplyBurst = 2
            $0.unauthenticatedRepliesPerSecond = 0
            $0.amplificationBurst = 2048
            $0.amplificationBytesPerSecond = 0
        })
        var client = TestClient(Fixture.tcp())
        var answered = 0
        for _ in 0..<100 {
            let actions = harness.send(client.plainRequest(.allocate, [.requestedTransport(17)]), from: client.fiveTuple)
            answered += Decode.responses(actions).count { $0.errorCode?.code == 401 }
            answered += Decode.responses(harness.send(client.plainRequest(.binding), from: client.fiveTuple)).count
        }
        #expect(answered == 200)
        #expect(harness.core.drops.total == 0)
        // The same from a UDP source: two replies, then the per-source budget.
        var udp = TestClient(Fixture.udp())
        var udpAnswered = 0
        for _ in 0..<10 {
            udpAnswered += Decode.sentBytes(harness.send(udp.plainRequest(.binding), from: udp.fiveTuple)).count
        }
        #expect(udpAnswered == 2)
        #expect(harness.core.drops[.replyRateLimited] == 8)
    }

    @Test func reloadTakesNewSettingsAndKeepsTheCredit() {
        var harness = Harness(Fixture.configuration { $0.amplificationBytesPerSecond = 0 })
        var client = TestClient(Fixture.udp())
        let reply = Decode.sentBytes(harness.send(client.plainRequest(.binding), from: client.fiveTuple))
        #expect(reply.count == 1)
        let credit = harness.core.amplificationBudget.available
        #expect(credit == 65_536 - UInt64(reply[0].readableBytes))
        harness.core.reload(Fixture.configuration {
            $0.amplificationBurst = 1000
            $0.amplificationBytesPerSecond = 100
        })
        #expect(harness.core.amplificationBudget.available == 1000)
        #expect(harness.core.amplificationBudget.bytesPerSecond == 100)
        harness.core.reload(Fixture.configuration { $0.amplificationBurst = 100_000 })
        #expect(harness.core.amplificationBudget.available == 1000)
        #expect(harness.core.amplificationBudget.burst == 100_000)
    }
}
