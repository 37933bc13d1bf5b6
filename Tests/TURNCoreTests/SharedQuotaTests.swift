import NIOCore
import STUNWire
import Synchronization
import Testing
@testable import TURNCore

/// RFC 8656 §7.2 (486, 508) and the per-user byte budget with one `SharedQuota` shared by
/// several cores, as a server with one core per event loop runs them: each limit holds for the
/// server, not per core.
@Suite struct SharedQuotaTests {
    /// A `SharedQuota` like the shell's: per-user and total limits, one budget per user.
    final class CountingQuota: SharedQuota {
        struct State {
            var counts: [String: Int] = [:]
            var total = 0
            var budgets: [String: SharedTokenBucket] = [:]
        }

        let perUser: Int
        let limit: Int
        let state = Mutex(State())

        init(perUser: Int = .max, total: Int = .max) {
            self.perUser = perUser
            limit = total
        }

        func acquire(user: String, count: Int) -> QuotaRefusal? {
            state.withLock { state in
                if state.counts[user, default: 0] + count > perUser { return .userQuota }
                if state.total + count > limit { return .capacity }
                state.counts[user, default: 0] += count
                state.total += count
                return nil
            }
        }

        func release(user: String, count: Int) {
            state.withLock { state in
                state.counts[user, default: 0] -= count
                state.total -= count
                if state.counts[user] == 0 {
                    state.counts[user] = nil
                    state.budgets[user] = nil
                }
            }
        }

        func bandwidth(user: String, limit: BandwidthLimit) -> SharedTokenBucket {
            state.withLock { state in
                if let existing = state.budgets[user] { return existing }
                let budget = SharedTokenBucket(rate: limit.cellRate)
                state.budgets[user] = budget
                return budget
            }
        }

        func count(_ user: String) -> Int { state.withLock { $0.counts[user, default: 0] } }
        var total: Int { state.withLock { $0.total } }
    }

    static func client(_ port: UInt16, username: String = Fixture.username, password: String = Fixture.password) -> TestClient {
        TestClient(Fixture.udp(TransportAddress(ip: Fixture.clientA.ip, port: port)), username: username, password: password)
    }

    @Test func theUserQuotaHoldsAcrossCoresAndIsGivenBackWhenAnAllocationEnds() {
        let quota = CountingQuota(perUser: 2)
        let configuration = Fixture.configuration { $0.sharedQuota = quota }
        var first = Harness(configuration, seed: 1)
        var second = Harness(configuration, seed: 2)
        var a = Self.client(1000)
        var b = Self.client(1001)
        var c = Self.client(1002)
        #expect(first.allocate(&a).0.type.messageClass == .successResponse)
        #expect(second.allocate(&b).0.type.messageClass == .successResponse)
        #expect(first.allocate(&c).0.errorCode?.code == 486)
        #expect(quota.count(Fixture.username) == 2)

        // An allocation on the second core ends; the first core may allocate again.
        _ = second.tick(.seconds(3601))
        #expect(quota.count(Fixture.username) == 1)
        var d = Self.client(1003)
        #expect(first.allocate(&d).0.type.messageClass == .successResponse)
        #expect(quota.count(Fixture.username) == 2)
    }

    @Test func theTotalLimitHoldsAcrossCoresWith508() {
        let quota = CountingQuota(total: 3)
        // Each core's own limit is the server's (as the shell sets it), so only the shared one bites.
        let configuration = Fixture.configuration { $0.sharedQuota = quota; $0.maximumAllocations = 3 }
        var first = Harness(configuration, seed: 1)
        var second = Harness(configuration, seed: 2)
        var a = Self.client(1000)
        var b = Self.client(1001, username: Fixture.otherUsername, password: Fixture.otherPassword)
        var c = Self.client(1002)
        var d = Self.client(1003, username: Fixture.otherUsername, password: Fixture.otherPassword)
        #expect(first.allocate(&a).0.type.messageClass == .successResponse)
        #expect(second.allocate(&b).0.type.messageClass == .successResponse)
        #expect(first.allocate(&c).0.type.messageClass == .successResponse)
        #expect(second.allocate(&d).0.errorCode?.code == 508)
        #expect(quota.total == 3)
        // A reserved port on one core counts against the other's Allocates too.
        _ = first.send(a.request(.refresh, [.lifetime(0)]), from: a.fiveTuple)
        #expect(second.allocate(&d, [.evenPort(reserveNext: true)]).0.errorCode?.code == 508)
        #expect(second.allocate(&d).0.type.messageClass == .successResponse)
        #expect(quota.total == 3)
    }

    @Test func aRefusedAllocateTakesNothingFromTheSharedQuota() {
        let quota = CountingQuota(perUser: 5)
        var harness = Harness(Fixture.configuration { $0.sharedQuota = quota; $0.draining = true })
        var client = TestClient(Fixture.udp())
        #expect(harness.allocate(&client).0.errorCode?.code == 403)
        #expect(quota.count(Fixture.username) == 0)
    }

    @Test func theSharedQuotaRefusingGivesBackThePortsAndTakesNothing() {
        let quota = CountingQuota(perUser: 0)
        var harness = Harness(Fixture.configuration { $0.sharedQuota = quota })
        var client = TestClient(Fixture.udp())
        #expect(harness.allocate(&client, [.evenPort(reserveNext: true)]).0.errorCode?.code == 486)
        #expect(harness.core.portsInUse.isEmpty && harness.core.users.isEmpty && harness.core.heldUnits == 0)
    }

    @Test func aUsersBandwidthIsOneBudgetOverEveryCore() {
        let quota = CountingQuota()
        let configuration = Fixture.configuration {
            $0.sharedQuota = quota
            $0.bandwidthPerUser = BandwidthLimit(bytesPerSecond: 10, burstBytes: 10)
        }
        var first = Harness(configuration, seed: 1)
        var second = Harness(configuration, seed: 2)
        let (a, _) = ChannelDataTests.bound(&first, Fixture.udp(TransportAddress(ip: Fixture.clientA.ip, port: 1000)))
        let (b, _) = ChannelDataTests.bound(&second, Fixture.udp(TransportAddress(ip: Fixture.clientA.ip, port: 1001)))
        let payload = "123456"
        #expect(first.route(ChannelDataTests.channelData(ChannelDataTests.channel, payload), from: a.fiveTuple).0 != .none)
        // Six of the ten bytes are spent on the first core: six more on the second are refused.
        #expect(second.route(ChannelDataTests.channelData(ChannelDataTests.channel, payload), from: b.fiveTuple).0 == .none)
        #expect(second.core.drops[.userBandwidth] == 1)
        // The budget refills at 10 bytes a second for both.
        second.advance(.milliseconds(200))
        #expect(second.route(ChannelDataTests.channelData(ChannelDataTests.channel, payload), from: b.fiveTuple).0 != .none)
        first.advance(.milliseconds(200))
        #expect(first.route(ChannelDataTests.channelData(ChannelDataTests.channel, payload), from: a.fiveTuple).0 == .none)
        // Another user has a budget of its own.
        let (bob, _) = ChannelDataTests.bound(&first, Fixture.udp(Fixture.clientB), username: Fixture.otherUsername, password: Fixture.otherPassword)
        #expect(first.route(ChannelDataTests.channelData(ChannelDataTests.channel, payload), from: bob.fiveTuple).0 != .none)
    }
}
