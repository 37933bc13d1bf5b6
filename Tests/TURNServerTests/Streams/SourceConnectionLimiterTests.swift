import STUNWire
import Testing
@testable import TURNServer

/// `streams.max-connections-per-source`: IPv4 addresses and IPv6 /64s, shared by every loop.
@Suite struct SourceConnectionLimiterTests {
    static func source(_ text: String) -> ConnectionSource {
        ConnectionSource(IPAddress(text)!)
    }

    @Test func ipv6AddressesInOneSlash64AreOneSource() {
        #expect(Self.source("2001:db8:1:2::1") == Self.source("2001:db8:1:2:ffff:ffff:ffff:ffff"))
        #expect(Self.source("2001:db8:1:2::1") != Self.source("2001:db8:1:3::1"))
        #expect(Self.source("2001:db8:1:2::1").description == "2001:db8:1:2::/64")
    }

    @Test func ipv4AddressesAreEachTheirOwnSource() {
        #expect(Self.source("198.51.100.7") != Self.source("198.51.100.8"))
        #expect(Self.source("198.51.100.7").description == "198.51.100.7")
    }

    @Test func anIPv4MappedAddressIsTheIPv4Source() {
        #expect(Self.source("::ffff:198.51.100.7") == Self.source("198.51.100.7"))
        // Not mapped: an IPv6 /64 like any other.
        #expect(Self.source("64:ff9b::c633:6407") != Self.source("198.51.100.7"))
    }

    @Test func eachSourceGetsItsLimitAndSlotsComeBack() {
        let limiter = SourceConnectionLimiter(limit: 2)
        let a = Self.source("2001:db8::1")
        let sameA = Self.source("2001:db8::2")
        let b = Self.source("2001:db8:0:1::1")
        #expect(limiter.take(a))
        #expect(limiter.take(sameA))
        #expect(!limiter.take(a))
        #expect(limiter.take(b))
        #expect(limiter.count(for: a) == 2 && limiter.sources == 2)
        limiter.give(sameA)
        #expect(limiter.take(a))
        limiter.give(a)
        limiter.give(a)
        limiter.give(b)
        // Sources without a connection leave the table.
        #expect(limiter.sources == 0)
    }

    @Test func zeroIsUnlimitedAndALowerLimitKeepsOpenConnections() {
        let limiter = SourceConnectionLimiter(limit: 0)
        let a = Self.source("192.0.2.1")
        for _ in 0..<100 { #expect(limiter.take(a)) }
        limiter.setLimit(10)
        #expect(!limiter.take(a))
        #expect(limiter.count(for: a) == 100)
    }
}
