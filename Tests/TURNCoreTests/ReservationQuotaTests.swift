import NIOCore
import STUNWire
import Testing
@testable import TURNCore

/// RFC 8656 §7.2: a port reserved by EVEN-PORT with the R bit counts against the per-user quota
/// (486) and the allocation limit (508) for as long as it is held, so Allocate(R) + Refresh(0)
/// in a loop cannot drain the port range.
@Suite struct ReservationQuotaTests {
    /// Allocates with EVEN-PORT R from a new port of client A's address, then deletes the
    /// allocation; returns the Allocate's response.
    static func reserveAndDelete(_ harness: inout Harness, port: UInt16, username: String = Fixture.username,
                                 password: String = Fixture.password) -> STUNMessage {
        var client = TestClient(Fixture.udp(TransportAddress(ip: Fixture.clientA.ip, port: port)), username: username, password: password)
        let (response, _) = harness.allocate(&client, [.evenPort(reserveNext: true)])
        if response.type.messageClass == .successResponse {
            let deleted = harness.send(client.request(.refresh, [.lifetime(0)]), from: client.fiveTuple)
            #expect(Decode.responses(deleted).first?.lifetime == 0)
        }
        return response
    }

    /// Runs up to ten rounds of `reserveAndDelete`, round `n` as `credentials(n)`, until one is
    /// refused; returns the rounds granted and the refusal.
    static func loop(
        _ harness: inout Harness, credentials: (UInt16) -> (String, String) = { _ in (Fixture.username, Fixture.password) }
    ) -> (granted: Int, refused: STUNMessage?) {
        for round in UInt16(0)..<10 {
            let (username, password) = credentials(round)
            let response = reserveAndDelete(&harness, port: 1000 + round, username: username, password: password)
            if response.type.messageClass != .successResponse { return (Int(round), response) }
        }
        return (10, nil)
    }

    @Test func theLoopHoldsAtMostTheUserQuotaThen486() {
        let quota = 4
        var harness = Harness(Fixture.configuration { $0.allocationsPerUser = quota })
        let (granted, refused) = Self.loop(&harness)
        // Each round leaves a reservation; an Allocate with R needs two units (allocation and
        // reserved port), so the loop stops with quota - 1 reservations held.
        #expect(granted == quota - 1)
        #expect(refused?.errorCode?.code == 486)
        #expect(harness.core.reservations.count == quota - 1)
        #expect(harness.core.users[Fixture.username]?.held == quota - 1)
        // One unit is left: a plain Allocate still fits, a second does not.
        var plain = TestClient(Fixture.udp(TransportAddress(ip: Fixture.clientA.ip, port: 2000)))
        #expect(harness.allocate(&plain).0.type.messageClass == .successResponse)
        var over = TestClient(Fixture.udp(TransportAddress(ip: Fixture.clientA.ip, port: 2001)))
        #expect(harness.allocate(&over).0.errorCode?.code == 486)
        // Another user is not affected.
        var bob = TestClient(Fixture.udp(Fixture.clientB), username: Fixture.otherUsername, password: Fixture.otherPassword)
        #expect(harness.allocate(&bob, [.evenPort(reserveNext: true)]).0.type.messageClass == .successResponse)
    }

    @Test func reservationsExpireAndGiveTheirUnitsBack() {
        var harness = Harness(Fixture.configuration { $0.allocationsPerUser = 2 })
        #expect(Self.reserveAndDelete(&harness, port: 1000).type.messageClass == .successResponse)
        #expect(Self.reserveAndDelete(&harness, port: 1001).errorCode?.code == 486)
        // RFC 8656 §7.2: the reservation lasts about 30 s; then its port and its unit go.
        let expired = harness.tick(.seconds(30))
        #expect(expired.contains { if case .closeRelayPort = $0 { true } else { false } })
        #expect(harness.core.reservations.isEmpty && harness.core.users.isEmpty && harness.core.heldUnits == 0)
        #expect(Self.reserveAndDelete(&harness, port: 1002).type.messageClass == .successResponse)
    }

    @Test func theLoopAcrossUsersStopsAtTheTotalWith508() {
        // Alice and Bob alternate, each within a large quota: the server-wide limit stops them.
        let total = 5
        var harness = Harness(Fixture.configuration { $0.maximumAllocations = total })
        let (granted, refused) = Self.loop(&harness) { round in
            round % 2 == 0 ? (Fixture.username, Fixture.password) : (Fixture.otherUsername, Fixture.otherPassword)
        }
        #expect(granted == total - 1)
        #expect(refused?.errorCode?.code == 508)
        #expect(harness.core.heldUnits == total - 1)
        #expect(harness.core.reservations.count == total - 1)
    }

    @Test func usingTheTokenMovesTheUnitToTheAllocation() throws {
        var harness = Harness(Fixture.configuration { $0.allocationsPerUser = 2 })
        var first = TestClient(Fixture.udp(TransportAddress(ip: Fixture.clientA.ip, port: 1000)))
        let token = try #require(harness.allocate(&first, [.evenPort(reserveNext: true)]).0.reservationToken)
        #expect(harness.core.users[Fixture.username]?.held == 2)
        // The user is at its quota, yet the reserved port is its own: using it takes nothing more.
        var second = TestClient(Fixture.udp(TransportAddress(ip: Fixture.clientA.ip, port: 1001)))
        #expect(harness.allocate(&second, [.reservationToken(token)]).0.type.messageClass == .successResponse)
        #expect(harness.core.users[Fixture.username]?.held == 2)
        #expect(harness.core.reservations.isEmpty)
        // Both allocations end: nothing is held.
        for client in [first, second] {
            var client = client
            _ = harness.send(client.request(.refresh, [.lifetime(0)]), from: client.fiveTuple)
        }
        #expect(harness.core.users.isEmpty && harness.core.heldUnits == 0)
    }

    @Test func anotherUserWithTheTokenPaysForItsAllocation() throws {
        var harness = Harness(Fixture.configuration { $0.allocationsPerUser = 1 })
        var alice = TestClient(Fixture.udp(TransportAddress(ip: Fixture.clientA.ip, port: 1000)))
        // Alice's quota of 1 cannot hold an allocation and a reserved port.
        #expect(harness.allocate(&alice, [.evenPort(reserveNext: true)]).0.errorCode?.code == 486)

        harness.core.reload(Fixture.configuration { $0.allocationsPerUser = 2 })
        let token = try #require(harness.allocate(&alice, [.evenPort(reserveNext: true)]).0.reservationToken)
        harness.core.reload(Fixture.configuration { $0.allocationsPerUser = 1 })
        // Bob holds one allocation already: his quota refuses the reserved port; it stays Alice's.
        var bobFirst = TestClient(Fixture.udp(Fixture.clientB), username: Fixture.otherUsername, password: Fixture.otherPassword)
        #expect(harness.allocate(&bobFirst).0.type.messageClass == .successResponse)
        var bob = TestClient(Fixture.udp(TransportAddress(ip: Fixture.clientB.ip, port: 2)), username: Fixture.otherUsername, password: Fixture.otherPassword)
        #expect(harness.allocate(&bob, [.reservationToken(token)]).0.errorCode?.code == 486)
        #expect(harness.core.reservations.count == 1)
        #expect(harness.core.users[Fixture.username]?.held == 2)
        // Once Bob has room, the port becomes his allocation and Alice's unit is given back.
        _ = harness.send(bobFirst.request(.refresh, [.lifetime(0)]), from: bobFirst.fiveTuple)
        #expect(harness.allocate(&bob, [.reservationToken(token)]).0.type.messageClass == .successResponse)
        #expect(harness.core.users[Fixture.username]?.held == 1)
        #expect(harness.core.users[Fixture.otherUsername]?.held == 1)
    }
}
