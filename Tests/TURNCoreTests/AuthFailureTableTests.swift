import STUNWire
import Testing
@testable import TURNCore

/// The per-source failed-authentication table: fixed slots, a burst then one failure per
/// interval, and good standing after a quiet burst × interval.
@Suite struct AuthFailureTableTests {
    let start = Instant.seconds(1000)
    let source = IPAddress("198.51.100.20")!

    @Test func aSourceIsEvaluatedUntilItsBurstIsSpentThenOncePerInterval() {
        var table = AuthFailureTable(burst: 3, interval: .seconds(10), slots: 64, seed: 7)
        for _ in 0..<3 {
            #expect(table.allowsEvaluation(source, now: start))
            table.recordFailure(source, now: start)
        }
        #expect(!table.allowsEvaluation(source, now: start))
        #expect(!table.allowsEvaluation(source, now: start + .milliseconds(9999)))
        #expect(table.allowsEvaluation(source, now: start + .seconds(10)))
        table.recordFailure(source, now: start + .seconds(10))
        #expect(!table.allowsEvaluation(source, now: start + .seconds(10)))
        // Failures past the budget extend nothing: it refills on schedule.
        table.recordFailure(source, now: start + .seconds(15))
        #expect(table.allowsEvaluation(source, now: start + .seconds(20)))
    }

    @Test func goodStandingNeedsNoFailureForBurstTimesInterval() {
        var table = AuthFailureTable(burst: 3, interval: .seconds(10), slots: 64, seed: 7)
        #expect(table.isInGoodStanding(source, now: start))
        table.recordFailure(source, now: start)
        // Budget left, yet not in good standing until 30 s without a failure.
        #expect(table.allowsEvaluation(source, now: start + .seconds(1)))
        #expect(!table.isInGoodStanding(source, now: start + .milliseconds(29_999)))
        #expect(table.isInGoodStanding(source, now: start + .seconds(30)))
    }

    @Test func anIPv6SubnetIsOneSource() throws {
        var table = AuthFailureTable(burst: 1, interval: .seconds(10), slots: 4096, seed: 7)
        let first = try #require(IPAddress("2001:db8:1:2::1"))
        let sameSubnet = try #require(IPAddress("2001:db8:1:2:ffff:ffff:ffff:ffff"))
        let otherSubnet = try #require(IPAddress("2001:db8:1:3::1"))
        #expect(table.slot(for: first) == table.slot(for: sameSubnet))
        #expect(table.slot(for: first) != table.slot(for: otherSubnet))
        table.recordFailure(first, now: start)
        #expect(!table.allowsEvaluation(sameSubnet, now: start))
        #expect(table.allowsEvaluation(otherSubnet, now: start))
    }

    @Test func reconfiguringKeepsWhatWasSpent() {
        var table = AuthFailureTable(burst: 2, interval: .seconds(10), slots: 64, seed: 7)
        table.recordFailure(source, now: start)
        table.recordFailure(source, now: start)
        table.reconfigure(burst: 2, interval: .seconds(1))
        #expect(!table.allowsEvaluation(source, now: start))
        #expect(table.rate == CellRate(interval: .seconds(1), burst: 2))
        #expect(table.slotCount == 64)
    }
}
