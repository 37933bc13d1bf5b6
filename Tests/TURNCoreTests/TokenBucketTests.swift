import Testing
@testable import TURNCore

@Suite struct TokenBucketTests {
    let start = Instant.seconds(100)

    @Test func startsFullAndEmptiesAtBurst() {
        var bucket = TokenBucket(ratePerSecond: 10, burst: 3, now: start)
        let granted1 = bucket.take(now: start)
        #expect(granted1)
        let granted2 = bucket.take(now: start)
        #expect(granted2)
        let granted3 = bucket.take(now: start)
        #expect(granted3)
        let granted4 = bucket.take(now: start)
        #expect(!granted4)
        #expect(bucket.tokens == 0)
    }

    @Test func refillsAtTheRate() {
        var bucket = TokenBucket(ratePerSecond: 10, burst: 5, now: start)
        let granted5 = bucket.take(5, now: start)
        #expect(granted5)
        // 10 per second: one token every 100 ms.
        let granted6 = bucket.take(now: start + .milliseconds(99))
        #expect(!granted6)
        let granted7 = bucket.take(now: start + .milliseconds(100))
        #expect(granted7)
        let granted8 = bucket.take(now: start + .milliseconds(199))
        #expect(!granted8)
        let granted9 = bucket.take(now: start + .milliseconds(200))
        #expect(granted9)
        let granted10 = bucket.take(3, now: start + .milliseconds(500))
        #expect(granted10)
        #expect(bucket.tokens == 0)
    }

    @Test func neverExceedsBurst() {
        var bucket = TokenBucket(ratePerSecond: 1000, burst: 4, now: start)
        let granted11 = bucket.take(4, now: start)
        #expect(granted11)
        let granted12 = bucket.take(5, now: start + .seconds(3600))
        #expect(!granted12)
        #expect(bucket.tokens == 4)
        let granted13 = bucket.take(4, now: start + .seconds(3600))
        #expect(granted13)
        let granted14 = bucket.take(now: start + .seconds(3600))
        #expect(!granted14)
    }

    @Test func failedTakeTakesNothing() {
        var bucket = TokenBucket(ratePerSecond: 1, burst: 3, now: start)
        let granted15 = bucket.take(4, now: start)
        #expect(!granted15)
        #expect(bucket.tokens == 3)
        let granted16 = bucket.take(3, now: start)
        #expect(granted16)
    }

    @Test func carriesFractionsWithoutDrift() {
        // 3 per second does not divide a second into whole nanoseconds (333_333_333.3 ns).
        var bucket = TokenBucket(ratePerSecond: 3, burst: 1000, now: start)
        let granted17 = bucket.take(1000, now: start)
        #expect(granted17)
        var now = start
        var granted: UInt64 = 0
        for _ in 0..<3000 {
            now = now + .milliseconds(1)
            while bucket.take(now: now) { granted += 1 }
        }
        // Exactly 3 s elapsed in 1 ms steps: exactly 9 tokens.
        #expect(granted == 9)
    }

    @Test func fractionsAccumulateAcrossManyTinySteps() {
        var bucket = TokenBucket(ratePerSecond: 1, burst: 1, now: start)
        let granted18 = bucket.take(now: start)
        #expect(granted18)
        var now = start
        for _ in 0..<999 {
            now = now + .milliseconds(1)
            let granted19 = bucket.take(now: now)
            #expect(!granted19)
        }
        let granted20 = bucket.take(now: now + .milliseconds(1))
        #expect(granted20)
    }

    @Test func timeGoingBackwardsEarnsNothing() {
        var bucket = TokenBucket(ratePerSecond: 1, burst: 2, now: start)
        let granted21 = bucket.take(2, now: start)
        #expect(granted21)
        let granted22 = bucket.take(now: Instant.seconds(50))
        #expect(!granted22)
        let granted23 = bucket.take(now: Instant(nanoseconds: 0))
        #expect(!granted23)
        // No credit for returning to where it already was.
        let granted24 = bucket.take(now: start + .milliseconds(999))
        #expect(!granted24)
        let granted25 = bucket.take(now: start + .seconds(1))
        #expect(granted25)
    }

    @Test func extremeValuesDoNotOverflow() {
        var bucket = TokenBucket(ratePerSecond: .max, burst: .max, now: Instant(nanoseconds: 0))
        let granted26 = bucket.take(.max, now: Instant(nanoseconds: 0))
        #expect(granted26)
        let granted27 = bucket.take(now: Instant(nanoseconds: 0))
        #expect(!granted27)
        let granted28 = bucket.take(.max, now: Instant(nanoseconds: .max))
        #expect(granted28)
        var slow = TokenBucket(ratePerSecond: 0, burst: 1, now: Instant(nanoseconds: .max))
        let granted29 = slow.take(now: Instant(nanoseconds: .max))
        #expect(granted29)
        let granted30 = slow.take(now: Instant(nanoseconds: .max))
        #expect(!granted30)
        let granted31 = slow.take(now: Instant(nanoseconds: 0))
        #expect(!granted31)
    }

    @Test func zeroBurstGrantsOnlyNothing() {
        var bucket = TokenBucket(ratePerSecond: 100, burst: 0, now: start)
        let granted32 = bucket.take(now: start + .seconds(10))
        #expect(!granted32)
        let granted33 = bucket.take(0, now: start + .seconds(10))
        #expect(granted33)
    }
}

@Suite struct TokenBucketDepositTests {
    let start = Instant.seconds(100)

    @Test func depositAddsUpToBurst() {
        var bucket = TokenBucket(ratePerSecond: 0, burst: 10, now: start)
        let granted = bucket.take(10, now: start)
        #expect(granted)
        bucket.deposit(4, now: start)
        #expect(bucket.tokens == 4)
        bucket.deposit(7, now: start)
        #expect(bucket.tokens == 10)
        bucket.deposit(.max, now: start)
        #expect(bucket.tokens == 10)
    }

    @Test func depositCountsTheTimeBeforeIt() {
        var bucket = TokenBucket(ratePerSecond: 10, burst: 100, now: start)
        let granted = bucket.take(100, now: start)
        #expect(granted)
        // 250 ms at 10 per second earns 2 whole tokens and half of the next.
        bucket.deposit(5, now: start + .milliseconds(250))
        #expect(bucket.tokens == 7)
        let notYet = bucket.take(8, now: start + .milliseconds(299))
        #expect(!notYet)
        let carried = bucket.take(8, now: start + .milliseconds(300))
        #expect(carried)
    }

    @Test func reconfiguredKeepsTokensUpToTheNewBurst() {
        var bucket = TokenBucket(ratePerSecond: 1, burst: 10, now: start)
        let granted = bucket.take(4, now: start)
        #expect(granted)
        #expect(bucket.reconfigured(ratePerSecond: 5, burst: 3).tokens == 3)
        var wider = bucket.reconfigured(ratePerSecond: 5, burst: 20)
        #expect(wider.tokens == 6 && wider.burst == 20 && wider.ratePerSecond == 5)
        let refilled = wider.take(11, now: start + .seconds(1))
        #expect(refilled)
    }
}
