import STUNWire
import Testing
@testable import TURNCore

private func ip(_ text: String) -> IPAddress {
    guard let address = IPAddress(text) else { preconditionFailure("bad test address \(text)") }
    return address
}

@Suite struct ReplyRateLimiterTests {
    let start = Instant.seconds(1000)

    @Test func sipHashMatchesThePaperVector() {
        // SipHash paper, Appendix A: key 00..0f, message 00..0e.
        let key = (0..<16).map(UInt8.init)
        let k0 = key[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let k1 = key[8..<16].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let message = (0..<15).map(UInt8.init)
        let hash = message.withUnsafeBytes { SipHash24.hash(k0: k0, k1: k1, bytes: $0) }
        #expect(hash == 0xA129_CA61_49BE_45E5)
    }

    @Test func twoWordFormEqualsTheByteForm() {
        let w0: UInt64 = 0x0123_4567_89AB_CDEF
        let w1: UInt64 = 0xFEDC_BA98_7654_3210
        var bytes: [UInt8] = []
        for word in [w0, w1] { for index in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: word >> (8 * UInt64(index)))) } }
        let viaBytes = bytes.withUnsafeBytes { SipHash24.hash(k0: 7, k1: 9, bytes: $0) }
        #expect(SipHash24.hash(k0: 7, k1: 9, w0, w1) == viaBytes)
    }

    @Test func grantsBurstThenRefusesThenRefills() {
        var limiter = ReplyRateLimiter(ratePerSecond: 2, burst: 3, seed: 42)
        let source = ip("198.51.100.20")
        let granted1 = limiter.allow(source, now: start)
        #expect(granted1)
        let granted2 = limiter.allow(source, now: start)
        #expect(granted2)
        let granted3 = limiter.allow(source, now: start)
        #expect(granted3)
        let granted4 = limiter.allow(source, now: start)
        #expect(!granted4)
        let granted5 = limiter.allow(source, now: start + .milliseconds(499))
        #expect(!granted5)
        let granted6 = limiter.allow(source, now: start + .milliseconds(500))
        #expect(granted6)
        let granted7 = limiter.allow(source, now: start + .milliseconds(500))
        #expect(!granted7)
    }

    @Test func sourcesInDifferentSlotsHaveTheirOwnBudget() {
        var limiter = ReplyRateLimiter(ratePerSecond: 1, burst: 1, seed: 42)
        let a = ip("198.51.100.20")
        let b = ip("198.51.100.21")
        #expect(limiter.slot(for: a) != limiter.slot(for: b))
        let granted8 = limiter.allow(a, now: start)
        #expect(granted8)
        let granted9 = limiter.allow(a, now: start)
        #expect(!granted9)
        let granted10 = limiter.allow(b, now: start)
        #expect(granted10)
    }

    @Test func rotatingWithinAnIPv6Slash64GainsNothing() {
        var limiter = ReplyRateLimiter(ratePerSecond: 1, burst: 2, seed: 7)
        let granted11 = limiter.allow(ip("2001:db8:1:2::1"), now: start)
        #expect(granted11)
        let granted12 = limiter.allow(ip("2001:db8:1:2:ffff:ffff:ffff:ffff"), now: start)
        #expect(granted12)
        let granted13 = limiter.allow(ip("2001:db8:1:2:dead:beef:0:1"), now: start)
        #expect(!granted13)
        #expect(limiter.slot(for: ip("2001:db8:1:2::1")) == limiter.slot(for: ip("2001:db8:1:2:abcd::9")))
    }

    @Test func mappedSourceSharesItsIPv4Budget() {
        var limiter = ReplyRateLimiter(ratePerSecond: 1, burst: 1, seed: 7)
        #expect(limiter.slot(for: ip("::ffff:203.0.113.9")) == limiter.slot(for: ip("203.0.113.9")))
        let granted14 = limiter.allow(ip("203.0.113.9"), now: start)
        #expect(granted14)
        let granted15 = limiter.allow(ip("::ffff:203.0.113.9"), now: start)
        #expect(!granted15)
    }

    @Test func mappedSourcesAreNotOneSlash64() {
        // All IPv4-mapped addresses share ::ffff:0:0/64; they must not share one budget.
        let limiter = ReplyRateLimiter(ratePerSecond: 1, burst: 1, seed: 7)
        let slots = Set((0..<64).map { limiter.slot(for: .v6(IPv6Address(rawValue: 0xFFFF_0A00_0000 | UInt128($0)))) })
        #expect(slots.count > 32)
    }

    @Test func slotsStayInTheTableAndSpread() {
        let limiter = ReplyRateLimiter(ratePerSecond: 1, burst: 1, slots: 64, seed: 99)
        let slots = (0..<4096).map { limiter.slot(for: .v4(IPv4Address(rawValue: 0x0808_0000 | UInt32($0)))) }
        #expect(slots.allSatisfy { (0..<64).contains($0) })
        // 4096 sources into 64 slots: every slot used.
        #expect(Set(slots).count == 64)
    }

    @Test func seedChangesTheMapping() {
        let first = ReplyRateLimiter(ratePerSecond: 1, burst: 1, seed: 1)
        let second = ReplyRateLimiter(ratePerSecond: 1, burst: 1, seed: 2)
        let sources = (0..<32).map { IPAddress.v4(IPv4Address(rawValue: 0x0101_0100 | UInt32($0))) }
        #expect(sources.map { first.slot(for: $0) } != sources.map { second.slot(for: $0) })
        #expect(sources.map { first.slot(for: $0) } == sources.map { ReplyRateLimiter(ratePerSecond: 1, burst: 1, seed: 1).slot(for: $0) })
    }

    @Test func oneSlotMeansOneSharedBudget() {
        var limiter = ReplyRateLimiter(ratePerSecond: 1, burst: 2, slots: 1, seed: 3)
        let granted16 = limiter.allow(ip("1.1.1.1"), now: start)
        #expect(granted16)
        let granted17 = limiter.allow(ip("2606:4700::1111"), now: start)
        #expect(granted17)
        let granted18 = limiter.allow(ip("8.8.8.8"), now: start)
        #expect(!granted18)
        var clamped = ReplyRateLimiter(ratePerSecond: 1, burst: 1, slots: 0, seed: 3)
        let granted19 = clamped.allow(ip("1.1.1.1"), now: start)
        #expect(granted19)
        let granted20 = clamped.allow(ip("8.8.8.8"), now: start)
        #expect(!granted20)
    }
}
