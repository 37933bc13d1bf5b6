import Dispatch
import Synchronization
import Testing
@testable import TURNCore

/// The one-word token bucket (GCRA) behind the shared byte budgets and the failure tables.
@Suite struct CellRateTests {
    let start = Instant.seconds(100)

    @Test func startsFullGrantsTheBurstThenRefuses() {
        let rate = CellRate(unitsPerSecond: 10, burst: 3)
        var tat: UInt64 = 0
        for _ in 0..<3 {
            let next = rate.take(1, tat: tat, now: start)
            #expect(next != nil)
            tat = next ?? tat
        }
        #expect(rate.take(1, tat: tat, now: start) == nil)
        #expect(rate.available(tat: tat, now: start) == 0)
    }

    @Test func refillsAtTheRateAndNeverAboveTheBurst() throws {
        let rate = CellRate(unitsPerSecond: 10, burst: 5)
        var tat = try #require(rate.take(5, tat: 0, now: start))
        // 10 per second: one unit every 100 ms.
        #expect(rate.take(1, tat: tat, now: start + .milliseconds(99)) == nil)
        tat = try #require(rate.take(1, tat: tat, now: start + .milliseconds(100)))
        #expect(rate.take(1, tat: tat, now: start + .milliseconds(199)) == nil)
        #expect(rate.available(tat: tat, now: start + .seconds(3600)) == 5)
        #expect(rate.take(6, tat: tat, now: start + .seconds(3600)) == nil)
        #expect(rate.take(5, tat: tat, now: start + .seconds(3600)) != nil)
    }

    @Test func aTakeOfMoreThanIsAvailableTakesNothing() throws {
        let rate = CellRate(unitsPerSecond: 1000, burst: 1000)
        let tat = try #require(rate.take(600, tat: 0, now: start))
        #expect(rate.take(600, tat: tat, now: start) == nil)
        #expect(rate.available(tat: tat, now: start) == 400)
    }

    @Test func anIntervalRateRefillsOneUnitPerInterval() throws {
        let rate = CellRate(interval: .seconds(5), burst: 2)
        var tat = try #require(rate.take(2, tat: 0, now: start))
        #expect(rate.take(1, tat: tat, now: start + .milliseconds(4999)) == nil)
        tat = try #require(rate.take(1, tat: tat, now: start + .seconds(5)))
        #expect(rate.available(tat: tat, now: start + .seconds(5)) == 0)
        #expect(rate.available(tat: tat, now: start + .seconds(15)) == 2)
    }

    @Test func fullForASpanMeansNothingWasTakenInIt() throws {
        let rate = CellRate(interval: .seconds(1), burst: 3)
        let taken = start + .seconds(10)
        let tat = try #require(rate.take(1, tat: 0, now: taken))
        // Full again one interval after the take; full "for 2 s" three seconds after it.
        #expect(rate.hasBeenFull(for: 0, tat: tat, now: taken + .seconds(1)))
        #expect(!rate.hasBeenFull(for: 2_000_000_000, tat: tat, now: taken + .milliseconds(2999)))
        #expect(rate.hasBeenFull(for: 2_000_000_000, tat: tat, now: taken + .seconds(3)))
        #expect(rate.hasBeenFull(for: 2_000_000_000, tat: 0, now: start))
    }

    @Test func extremeValuesDoNotOverflow() {
        for rate in [CellRate(unitsPerSecond: .max, burst: .max), CellRate(unitsPerSecond: 0, burst: .max),
                     CellRate(unitsPerSecond: 1, burst: .max), CellRate(interval: .seconds(Int64.max), burst: .max),
                     CellRate(interval: .zero, burst: 0)] {
            for tat: UInt64 in [0, .max / 2, .max] {
                for now in [Instant(nanoseconds: 0), start, Instant(nanoseconds: .max)] {
                    _ = rate.take(.max, tat: tat, now: now)
                    _ = rate.take(1, tat: tat, now: now)
                    _ = rate.available(tat: tat, now: now)
                    _ = rate.hasBeenFull(for: .max, tat: tat, now: now)
                }
            }
        }
        // A rate of zero is one unit a second, the least the bucket can refill.
        #expect(CellRate(unitsPerSecond: 0, burst: 1) == CellRate(unitsPerSecond: 1, burst: 1))
    }

    @Test func aSharedBucketGrantsExactlyItsBurstToConcurrentTakers() {
        // No refill within the test's lifetime: every unit granted comes from the burst.
        let bucket = SharedTokenBucket(rate: CellRate(interval: .seconds(1_000_000), burst: 10_000))
        let takers = 4
        let attempts = 5_000
        let now = start
        let granted = Counter()
        DispatchQueue.concurrentPerform(iterations: takers) { _ in
            var mine = 0
            for _ in 0..<attempts where bucket.take(now: now) { mine += 1 }
            granted.add(mine)
        }
        #expect(granted.value == 10_000)
        #expect(bucket.available(now: now) == 0)
    }

    /// Sums what the concurrent takers report.
    final class Counter: Sendable {
        private let total = Mutex(0)
        func add(_ value: Int) { total.withLock { $0 += value } }
        var value: Int { total.withLock { $0 } }
    }
}
