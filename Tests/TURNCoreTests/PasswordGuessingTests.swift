import NIOCore
import STUNWire
import Testing
@testable import TURNCore

/// Online password guessing is slowed after a burst of failures, per source and per static
/// username, without locking the real user out (docs/hardening.md, "Password guessing").
@Suite struct PasswordGuessingTests {
    static let burst: UInt64 = 3
    static let interval = Duration.seconds(10)

    static func configuration(_ adjust: (inout RelayConfiguration) -> Void = { _ in }) -> RelayConfiguration {
        Fixture.configuration {
            $0.authFailureBurst = burst
            $0.authFailureInterval = interval
            adjust(&$0)
        }
    }

    /// A client at `address` that already holds a nonce for it (issued as the 401 would).
    static func client(
        _ harness: Harness, _ address: String, username: String = Fixture.username, password: String = Fixture.password
    ) -> TestClient {
        var client = TestClient(Fixture.udp(TransportAddress(address)!), username: username, password: password)
        client.nonce = harness.core.configuration.nonceIssuer.issue(for: client.fiveTuple.client, now: harness.now)
        return client
    }

    /// The Allocate's response, or nil when the core answered nothing.
    static func allocate(_ harness: inout Harness, _ client: inout TestClient) -> STUNMessage? {
        Decode.responses(harness.send(client.request(.allocate, [.requestedTransport(17)]), from: client.fiveTuple)).last
    }

    @Test func aSourcePastItsBurstIsNotEvaluatedEvenWithTheRightPassword() {
        var harness = Harness(Self.configuration())
        var guesser = Self.client(harness, "81.2.3.4:1000", password: "wrong")
        for _ in 0..<Self.burst {
            #expect(Self.allocate(&harness, &guesser)?.errorCode?.code == 401)
        }
        // Past the burst: not evaluated, not answered, counted.
        #expect(Self.allocate(&harness, &guesser) == nil)
        guesser.password = Fixture.password
        #expect(Self.allocate(&harness, &guesser) == nil)
        // Another port of the same address is the same source.
        var samePlace = Self.client(harness, "81.2.3.4:1001")
        #expect(Self.allocate(&harness, &samePlace) == nil)
        #expect(harness.core.drops[.authSourceLimited] == 3)
        #expect(harness.core.allocationCount == 0)
        // One failure's worth refills per interval (injected time).
        harness.advance(Self.interval - .milliseconds(1))
        #expect(Self.allocate(&harness, &guesser) == nil)
        harness.advance(.milliseconds(1))
        #expect(Self.allocate(&harness, &guesser)?.type.messageClass == .successResponse)
        #expect(harness.core.drops[.authSourceLimited] == 4)
    }

    @Test func aUsernameUnderAttackStillLetsTheUserInFromAnotherSource() {
        var harness = Harness(Self.configuration())
        // One source spends its burst on Alice's username, which empties Alice's budget too.
        var attacker = Self.client(harness, "81.2.3.4:1000", password: "wrong")
        for _ in 0..<Self.burst {
            #expect(Self.allocate(&harness, &attacker)?.errorCode?.code == 401)
        }
        // A fresh source of the attacker's gets one guess: it is in good standing...
        var fresh = Self.client(harness, "82.0.0.1:1000", password: "wrong")
        #expect(Self.allocate(&harness, &fresh)?.errorCode?.code == 401)
        // ...and then none, though its own budget has two left; the right password included.
        #expect(Self.allocate(&harness, &fresh) == nil)
        fresh.password = Fixture.password
        #expect(Self.allocate(&harness, &fresh) == nil)
        #expect(harness.core.drops[.authUsernameLimited] == 2)
        // Bob's username is not under attack: the same source is evaluated for him.
        var bob = Self.client(harness, "82.0.0.1:1001", username: Fixture.otherUsername, password: Fixture.otherPassword)
        #expect(Self.allocate(&harness, &bob)?.type.messageClass == .successResponse)
        // Alice, from an address that has not failed, gets in.
        var alice = Self.client(harness, "83.0.0.1:1000")
        #expect(Self.allocate(&harness, &alice)?.type.messageClass == .successResponse)
        #expect(harness.core.allocationCount == 2)
    }

    @Test func coresShareTheUsernameBudget() {
        let shared = UsernameFailureBudgets(
            usernames: [Fixture.username, Fixture.otherUsername], burst: Self.burst, interval: Self.interval)
        let configuration = Self.configuration { $0.usernameFailureBudgets = shared }
        var first = Harness(configuration, seed: 1)
        var second = Harness(configuration, seed: 2)
        var attacker = Self.client(first, "81.2.3.4:1000", password: "wrong")
        for _ in 0..<Self.burst {
            #expect(Self.allocate(&first, &attacker)?.errorCode?.code == 401)
        }
        #expect(shared.bucket(for: Fixture.username)?.available(now: first.now.monotonic) == 0)
        // A source reaching the other core gets its one good-standing guess, then nothing.
        var elsewhere = Self.client(second, "82.0.0.1:1000", password: "wrong")
        #expect(Self.allocate(&second, &elsewhere)?.errorCode?.code == 401)
        #expect(Self.allocate(&second, &elsewhere) == nil)
        #expect(second.core.drops[.authUsernameLimited] == 1)
    }

    @Test func theAllocationsOfOtherUsersBehindTheSameAddressLiveOn() throws {
        var harness = Harness(Self.configuration())
        // Alice allocates from behind a NAT; someone else there keeps failing.
        var alice = Self.client(harness, "81.2.3.4:1000")
        #expect(Self.allocate(&harness, &alice)?.type.messageClass == .successResponse)
        var neighbour = Self.client(harness, "81.2.3.4:2000", username: Fixture.otherUsername, password: "wrong")
        for _ in 0..<Self.burst {
            #expect(Self.allocate(&harness, &neighbour)?.errorCode?.code == 401)
        }
        // Alice's requests on her allocation are still evaluated: she already holds the key.
        let refresh = harness.send(alice.request(.refresh, [.lifetime(600)]), from: alice.fiveTuple)
        #expect(Decode.responses(refresh).first?.type.messageClass == .successResponse)
        let permission = harness.send(alice.request(.createPermission, [.xorPeerAddress(Fixture.peer1)]), from: alice.fiveTuple)
        #expect(Decode.responses(permission).first?.type.messageClass == .successResponse)
        // Another username on her 5-tuple is a guess like any other: not evaluated.
        var other = alice
        other.username = Fixture.otherUsername
        other.password = Fixture.otherPassword
        #expect(Decode.responses(harness.send(other.request(.refresh), from: other.fiveTuple)).isEmpty)
        // A new allocation from that address waits for the budget to refill.
        var aliceAgain = Self.client(harness, "81.2.3.4:3000")
        #expect(Self.allocate(&harness, &aliceAgain) == nil)
        #expect(harness.core.drops[.authSourceLimited] == 2)
    }

    @Test func unknownAndSharedSecretUsernamesLeaveNoStateAndTheTablesStayTheirSize() {
        var harness = Harness(Self.configuration { $0.authFailureSlots = 256 })
        let before = harness.core.tableSizes
        let slots = harness.core.authFailures.slotCount
        let usernames = harness.core.usernameFailures.count
        for index in 0..<5_000 {
            let v4 = "11.\(index >> 16 & 0xFF).\(index >> 8 & 0xFF).\(index & 0xFF):4000"
            let v6 = "[2001:db8:\(String(index, radix: 16))::1]:4000"
            let minted = "\(Fixture.start.unixSeconds + 600):user\(index)"
            for (address, username) in [(v4, "mallory\(index)"), (v6, minted), (v4, Fixture.username)] {
                var client = Self.client(harness, address, username: username, password: "wrong")
                _ = harness.send(client.request(.allocate, [.requestedTransport(17)]), from: client.fiveTuple)
            }
        }
        #expect(harness.core.authFailures.slotCount == slots)
        #expect(harness.core.usernameFailures.count == usernames)
        #expect(usernames == 2)
        #expect(harness.core.tableSizes == before)
        // The attempts were made and evaluated or refused by the budgets, not lost.
        let failures = harness.core.drops[.authSourceLimited] + harness.core.drops[.authUsernameLimited]
        #expect(failures > 0)
    }

    @Test func onlyAWrongUsernameOrKeyCounts() {
        var harness = Harness(Self.configuration())
        // Expired shared-secret credentials fail without a key being tried: never slowed.
        let expired = "\(Fixture.start.unixSeconds - 1):carol"
        var stale = Self.client(harness, "81.2.3.4:1000", username: expired,
                                password: SharedSecretUsername.password(username: expired, secret: Fixture.sharedSecret))
        for _ in 0..<(Self.burst * 2) {
            #expect(Self.allocate(&harness, &stale)?.errorCode?.code == 401)
        }
        #expect(harness.core.drops.total == 0)
        var alice = Self.client(harness, "81.2.3.4:1001")
        #expect(Self.allocate(&harness, &alice)?.type.messageClass == .successResponse)
    }
}
