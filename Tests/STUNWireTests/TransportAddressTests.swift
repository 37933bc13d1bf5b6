import Testing
@testable import STUNWire

/// Parsing and printing of addresses (IPv6 in RFC 5952 canonical form).
@Suite struct TransportAddressTests {
    @Test(arguments: [
        ("192.0.2.1:3478", "192.0.2.1:3478"),
        ("0.0.0.0:0", "0.0.0.0:0"),
        ("255.255.255.255:65535", "255.255.255.255:65535"),
        ("[2001:db8::1]:5349", "[2001:db8::1]:5349"),
        ("[2001:0DB8:0000:0000:0000:0000:0000:0001]:1", "[2001:db8::1]:1"),
        ("[::]:80", "[::]:80"),
        ("[::ffff:192.0.2.1]:3478", "[::ffff:192.0.2.1]:3478"),
        ("[2001:db8:0:0:1:0:0:1]:9", "[2001:db8::1:0:0:1]:9"),
    ])
    func parsesAndPrints(_ text: String, _ printed: String) throws {
        let address = try #require(TransportAddress(text))
        #expect(address.description == printed)
        #expect(TransportAddress(printed) == address)
    }

    @Test(arguments: [
        "", "192.0.2.1", "192.0.2.1:", "192.0.2.1:65536", "192.0.2.1:-1", "256.0.0.1:1", "1.2.3:4",
        "[2001:db8::1]", "[2001:db8::1]:", "2001:db8::1:3478", "[192.0.2.1]:3478", "[2001:db8::g]:1",
        "[2001:db8::1:3478", "example.org:3478", ":3478", "192.0.2.1:+80", "[::1]:+1", "192.0.2.1: 80",
    ])
    func rejects(_ text: String) {
        #expect(TransportAddress(text) == nil)
    }

    @Test func ipValues() throws {
        #expect(IPv4Address("192.0.2.1")?.rawValue == 0xC000_0201)
        #expect(IPv4Address(192, 0, 2, 1).bytes == [192, 0, 2, 1])
        #expect(IPv4Address(rawValue: 0x0A00_0001).description == "10.0.0.1")
        let v6 = try #require(IPv6Address("2001:db8::ff00:42:8329"))
        #expect(v6.rawValue == 0x2001_0DB8_0000_0000_0000_FF00_0042_8329)
        #expect(v6.bytes == hexBytes("20010db8000000000000ff0000428329"))
        #expect(IPv6Address(bytes: v6.bytes[...]) == v6)
        #expect(IPv6Address(bytes: [0, 1][...]) == nil)
        #expect(IPAddress("::1") == .v6(IPv6Address(rawValue: 1)))
        #expect(IPAddress("127.0.0.1")?.family == .ipv4)
        #expect(IPAddress("localhost") == nil)
        #expect(TransportAddress("[::1]:1")?.family == .ipv6)
    }
}
