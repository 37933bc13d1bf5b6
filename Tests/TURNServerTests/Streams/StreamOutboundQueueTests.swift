import NIOCore
import Testing
@testable import TURNServer

/// The outbound queue's bookkeeping: what relayed data it takes, when it is full, and when it
/// has stalled.
@Suite struct StreamOutboundQueueTests {
    static let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    @Test func relayedDataIsTakenWhileItFitsAndAnEmptyQueueTakesAnyFrame() {
        var queue = StreamOutboundQueue(limit: 1000)
        #expect(queue.admits(5000))
        #expect(queue.added(600, now: Self.start) == .none)
        #expect(queue.admits(400))
        #expect(!queue.admits(401))
        #expect(!queue.isFull)
    }

    @Test func reachingTheBoundOrRefusingMakesItFullAndProgressBelowTheBoundDrainsIt() {
        var queue = StreamOutboundQueue(limit: 1000)
        #expect(queue.added(1200, now: Self.start) == .full)
        #expect(queue.isFull && queue.stallDeadline(after: .seconds(30)) == Self.start + .seconds(30))
        // Progress that leaves it at the bound restarts the stall clock only.
        let later = Self.start + .seconds(10)
        #expect(queue.written(100, now: later) == .none)
        #expect(queue.stallDeadline(after: .seconds(30)) == later + .seconds(30))
        #expect(queue.written(500, now: later) == .drained)
        #expect(!queue.isFull && queue.bytes == 600)

        #expect(queue.refused(now: later) == .full)
        #expect(queue.refused(now: later + .seconds(1)) == .none)
        #expect(queue.stallDeadline(after: .seconds(30)) == later + .seconds(30))
        #expect(queue.written(600, now: later) == .drained)
        #expect(queue.bytes == 0 && queue.stallDeadline(after: .seconds(30)) == nil)
    }
}
