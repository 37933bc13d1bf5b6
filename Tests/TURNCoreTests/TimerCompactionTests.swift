import NIOCore
import STUNWire
import Testing
@testable import TURNCore

/// The timer heap invalidates lazily (an entry whose object is gone is skipped when it fires), so
/// allocations that are created and deleted quickly leave entries behind until their deadlines;
/// compaction bounds them (found by tests/hardening's churn).
@Suite struct TimerCompactionTests {
    @Test func churnedAllocationsDoNotGrowTheTimerHeap() throws {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        let rounds = 5_000
        var largest = 0
        for _ in 0..<rounds {
            let (response, _) = harness.allocate(&client, [.lifetime(3_600)])
            #expect(response.type == MessageType(.allocate, .successResponse))
            let bind = client.request(.channelBind, [.channelNumber(ChannelNumber(rawValue: 0x4000)), .xorPeerAddress(Fixture.peer1)])
            #expect(Decode.responses(harness.send(bind, from: client.fiveTuple)).first?.type == MessageType(.channelBind, .successResponse))
            let delete = harness.send(client.request(.refresh, [.lifetime(0)]), from: client.fiveTuple)
            #expect(Decode.responses(delete).first?.type == MessageType(.refresh, .successResponse))
            largest = max(largest, harness.core.tableSizes["timers"] ?? 0)
        }
        #expect(harness.core.allocationCount == 0)
        // Three entries per round (allocation, permission, channel) would be 15,000 without
        // compaction; with it the heap never holds more than twice the live entries plus the floor.
        #expect(largest <= TimerHeap.compactionFloor + 3)
        #expect(largest > 0)
    }

    @Test func compactionKeepsLiveEntriesInDeadlineOrder() {
        var heap = TimerHeap()
        let base = Instant(nanoseconds: 1_000)
        for index in 0..<200 {
            heap.schedule(.reservation(UInt64(index)), at: base + .seconds(Int64((index * 7919) % 200)))
        }
        heap.compact { kind in
            guard case .reservation(let token) = kind else { return false }
            return token % 2 == 0
        }
        #expect(heap.count == 100)
        var last = Instant(nanoseconds: 0)
        var tokens: [UInt64] = []
        while let entry = heap.popDue(now: base + .seconds(1_000)) {
            #expect(entry.deadline >= last)
            last = entry.deadline
            if case .reservation(let token) = entry.kind { tokens.append(token) }
        }
        #expect(tokens.count == 100)
        #expect(tokens.allSatisfy { $0 % 2 == 0 })
    }
}
