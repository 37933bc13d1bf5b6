import Testing
@testable import TURNServer

/// The server-wide budget for incomplete frames: small holdings always, large ones while the
/// total stays within the limit.
@Suite struct PartialFrameBudgetTests {
    @Test func holdingsWithinTheAllowanceAreAlwaysGrantedAndCounted() {
        let budget = PartialFrameBudget(limit: 1000, allowance: 100)
        #expect(budget.resize(from: 0, to: 600))
        #expect(budget.resize(from: 0, to: 100))
        // Over the limit in total, but this connection holds no more than the allowance.
        #expect(budget.resize(from: 0, to: 100))
        #expect(budget.resize(from: 0, to: 100))
        #expect(budget.bytes == 900)
        #expect(budget.resize(from: 0, to: 100))
        #expect(budget.bytes == 1000)
    }

    @Test func growingPastTheAllowanceIsRefusedOnceTheLimitIsReached() {
        let budget = PartialFrameBudget(limit: 1000, allowance: 100)
        #expect(budget.resize(from: 0, to: 800))
        #expect(!budget.resize(from: 0, to: 300))
        #expect(budget.bytes == 800)
        #expect(budget.resize(from: 0, to: 200))
        // Shrinking is always granted, and frees room for others.
        #expect(budget.resize(from: 800, to: 50))
        #expect(budget.resize(from: 0, to: 300))
        #expect(budget.bytes == 550)
        #expect(budget.resize(from: 50, to: 0) && budget.resize(from: 200, to: 0) && budget.resize(from: 300, to: 0))
        #expect(budget.bytes == 0)
    }
}
