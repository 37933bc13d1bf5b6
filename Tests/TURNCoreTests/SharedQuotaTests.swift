import STUNWire
import Synchronization
import Testing
@testable import TURNCore

/// RFC 8656 §7.2 (486) with the per-user quota shared by several cores, as a server with one
/// core per event loop runs them.
@Suite struct SharedQuotaTests {
    final class CountingQuota: SharedAllocationQuota {
        let limit: Int
        let counts = Mutex<[String: Int]>([:])

        init(limit: Int) { self.limit = limit }

        func acquire(user: String) -> Bool {
            counts.withLock { counts in
                guard counts[user, default: 0] < limit else { return false }
                counts[user, default: 0] += 1
                return true
            }
        }

        func release(user: String) {
            counts.withLock { $0[user, default: 0] -= 1 }
        }

        func count(_ user: String) -> Int { counts.withLock { $0[user, default: 0] } }
    }

    @Test func theQuotaHoldsAcrossCoresAndIsGivenBackWhenAnAllocationEnds() {
        let quota = CountingQuota(limit: 2)
        let configuration = Fixture.configuration { $0.sharedAllocationQuota = quota }
        var first = Harness(configuration, seed: 1)
        var second = Harness(configuration, seed: 2)
        var a = TestClient(Fixture.udp(TransportAddress(ip: Fixture.clientA.ip, port: 1000)))
        var b = TestClient(Fixture.udp(TransportAddress(ip: Fixture.clientA.ip, port: 1001)))
        var c = TestClient(Fixture.udp(TransportAddress(ip: Fixture.clientA.ip, port: 1002)))
        #expect(first.allocate(&a).0.type.messageClass == .successResponse)
        #expect(second.allocate(&b).0.type.messageClass == .successResponse)
        #expect(first.allocate(&c).0.errorCode?.code == 486)
        #expect(quota.count(Fixture.username) == 2)

        // An allocation on the second core ends; the first core may allocate again.
        _ = second.tick(.seconds(3601))
        #expect(quota.count(Fixture.username) == 1)
        var d = TestClient(Fixture.udp(TransportAddress(ip: Fixture.clientA.ip, port: 1003)))
        #expect(first.allocate(&d).0.type.messageClass == .successResponse)
        #expect(quota.count(Fixture.username) == 2)
    }

    @Test func aRefusedAllocateTakesNothingFromTheSharedQuota() {
        let quota = CountingQuota(limit: 5)
        var harness = Harness(Fixture.configuration { $0.sharedAllocationQuota = quota; $0.draining = true })
        var client = TestClient(Fixture.udp())
        #expect(harness.allocate(&client).0.errorCode?.code == 403)
        #expect(quota.count(Fixture.username) == 0)
    }
}

