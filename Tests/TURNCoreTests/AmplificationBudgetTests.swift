import Testing
@testable import TURNCore

@Suite struct AmplificationBudgetTests {
    let start = Instant.seconds(100)

    @Test func startsFullAndSpendsOnlyWhatItHas() {
        var budget = AmplificationBudget(bytesPerSecond: 0, burst: 300, now: start)
        #expect(budget.available == 300)
        let first = budget.spend(200, now: start)
        #expect(first)
        let tooMuch = budget.spend(101, now: start)
        #expect(!tooMuch)
        // A refused reply spends nothing.
        #expect(budget.available == 100)
        let rest = budget.spend(100, now: start)
        #expect(rest)
        #expect(budget.available == 0)
    }

    @Test func requestBytesEarnCredit() {
        var budget = AmplificationBudget(bytesPerSecond: 0, burst: 1000, now: start)
        let emptied = budget.spend(1000, now: start)
        #expect(emptied)
        // Three 28-byte Allocates pay for one 84-byte reply, not for an 85-byte one.
        for _ in 0..<3 { budget.earn(28, now: start) }
        #expect(budget.available == 84)
        let over = budget.spend(85, now: start)
        #expect(!over)
        let exact = budget.spend(84, now: start)
        #expect(exact)
        #expect(budget.available == 0)
    }

    @Test func earningIsCappedAtBurst() {
        var budget = AmplificationBudget(bytesPerSecond: 0, burst: 500, now: start)
        let spent = budget.spend(100, now: start)
        #expect(spent)
        budget.earn(60, now: start)
        #expect(budget.available == 460)
        budget.earn(1_000_000, now: start)
        #expect(budget.available == 500)
        let overBurst = budget.spend(501, now: start)
        #expect(!overBurst)
    }

    @Test func refillsWithTime() {
        // 1000 bytes per second: one byte per millisecond.
        var budget = AmplificationBudget(bytesPerSecond: 1000, burst: 5000, now: start)
        let emptied = budget.spend(5000, now: start)
        #expect(emptied)
        let early = budget.spend(500, now: start + .milliseconds(499))
        #expect(!early)
        let onTime = budget.spend(500, now: start + .milliseconds(500))
        #expect(onTime)
        #expect(budget.available == 0)
        // An hour later: full, not more.
        let later = budget.spend(5001, now: start + .seconds(3600))
        #expect(!later)
        #expect(budget.available == 5000)
    }

    @Test func timeAndRequestsAddUpBeforeTheCap() {
        var budget = AmplificationBudget(bytesPerSecond: 100, burst: 100, now: start)
        let emptied = budget.spend(100, now: start)
        #expect(emptied)
        // Half a second earns 50; a 30-byte request brings it to 80.
        budget.earn(30, now: start + .milliseconds(500))
        #expect(budget.available == 80)
        // Another 0.3 s (30) and 30 bytes: 140, capped at 100.
        budget.earn(30, now: start + .milliseconds(800))
        #expect(budget.available == 100)
    }

    @Test func extremeValuesDoNotOverflow() {
        var budget = AmplificationBudget(bytesPerSecond: .max, burst: .max, now: Instant(nanoseconds: 0))
        budget.earn(.max, now: Instant(nanoseconds: 0))
        #expect(budget.available == .max)
        let all = budget.spend(.max, now: Instant(nanoseconds: 0))
        #expect(all)
        #expect(budget.available == UInt64.max - UInt64(Int.max))
        budget.earn(.max, now: Instant(nanoseconds: .max))
        #expect(budget.available == .max)
        // Negative sizes count as nothing: nothing earned, nothing spent.
        var small = AmplificationBudget(bytesPerSecond: 0, burst: 10, now: Instant(nanoseconds: .max))
        let drained = small.spend(10, now: Instant(nanoseconds: .max))
        #expect(drained)
        small.earn(-5, now: Instant(nanoseconds: .max))
        #expect(small.available == 0)
        let negative = small.spend(.min, now: Instant(nanoseconds: 0))
        #expect(negative)
        #expect(small.available == 0)
        var none = AmplificationBudget(bytesPerSecond: .max, burst: 0, now: start)
        none.earn(.max, now: start + .seconds(1))
        #expect(none.available == 0)
        let nothing = none.spend(1, now: start + .seconds(2))
        #expect(!nothing)
    }

    @Test func reconfiguringKeepsTheCreditUpToTheNewBurst() {
        var budget = AmplificationBudget(bytesPerSecond: 0, burst: 1000, now: start)
        let spent = budget.spend(300, now: start)
        #expect(spent)
        budget.reconfigure(bytesPerSecond: 10, burst: 2000)
        #expect(budget.available == 700 && budget.burst == 2000 && budget.bytesPerSecond == 10)
        // The new rate applies from the last instant seen.
        let refilled = budget.spend(710, now: start + .seconds(1))
        #expect(refilled)
        budget.earn(100, now: start + .seconds(1))
        budget.reconfigure(bytesPerSecond: 10, burst: 50)
        #expect(budget.available == 50)
    }
}
