import NIOCore
import Testing
@testable import TURNServer

/// The outbound queue's bookkeeping: what relayed data it takes, when the client stops being
/// read, and when the connection has stalled.
@Suite struct StreamOutboundQueueTests {
    static let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    @Test func relayedDataIsTakenWhileItFitsAndAnEmptyQueueTakesAnyFrame() {
        var queue = StreamOutboundQueue(limit: 1000)
        #expect(queue.admits(5000))
        #expect(queue.added(600, now: Self.start) == .none)
        #expect(queue.admits(400))
        #expect(!queue.admits(401))
        #expect(!queue.isAtBound)
    }

    @Test func reachingTheBoundAndFallingBelowItAreReportedOnce() {
        var queue = StreamOutboundQueue(limit: 1000)
        #expect(queue.added(900, now: Self.start) == .none)
        #expect(queue.added(300, now: Self.start) == .reachedBound)
        #expect(queue.added(300, now: Self.start) == .none)
        #expect(queue.written(400, now: Self.start) == .none)
        #expect(queue.written(200, now: Self.start) == .belowBound)
        #expect(queue.written(200, now: Self.start) == .none)
        #expect(queue.bytes == 700)
    }

    @Test func theStallClockRunsFromTheLastProgressWhileBytesWait() {
        var queue = StreamOutboundQueue(limit: 1000)
        #expect(queue.stallDeadline(after: .seconds(30)) == nil)
        _ = queue.added(100, now: Self.start)
        // More bytes do not restart it; only bytes written do.
        _ = queue.added(100, now: Self.start + .seconds(5))
        #expect(queue.stallDeadline(after: .seconds(30)) == Self.start + .seconds(30))
        _ = queue.written(100, now: Self.start + .seconds(10))
        #expect(queue.stallDeadline(after: .seconds(30)) == Self.start + .seconds(40))
        _ = queue.written(100, now: Self.start + .seconds(11))
        #expect(queue.stallDeadline(after: .seconds(30)) == nil)
    }
}
