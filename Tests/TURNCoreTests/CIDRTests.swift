import STUNWire
import Testing
@testable import TURNCore

@Suite struct CIDRTests {
    @Test func parsesIPv4PrefixAndClearsHostBits() throws {
        let cidr = try #require(CIDR("10.1.2.3/8"))
        #expect(cidr.network == IPAddress("10.0.0.0"))
        #expect(cidr.prefixLength == 8)
        #expect(cidr.description == "10.0.0.0/8")
    }

    @Test func parsesIPv6Prefix() throws {
        let cidr = try #require(CIDR("2001:db8:ffff::1/32"))
        #expect(cidr.network == IPAddress("2001:db8::"))
        #expect(cidr.prefixLength == 32)
        #expect(cidr.description == "2001:db8::/32")
    }

    @Test func bareAddressIsAHostRoute() throws {
        let v4 = try #require(CIDR("192.0.2.7"))
        #expect(v4.prefixLength == 32)
        #expect(v4.network == IPAddress("192.0.2.7"))
        #expect(v4.contains(IPAddress("192.0.2.7")!))
        #expect(!v4.contains(IPAddress("192.0.2.8")!))
        let v6 = try #require(CIDR("2001:db8::7"))
        #expect(v6.prefixLength == 128)
        #expect(v6.contains(IPAddress("2001:db8::7")!))
        #expect(!v6.contains(IPAddress("2001:db8::6")!))
    }

    @Test(arguments: [
        "", "/8", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/ 8", "10.0.0.0/8/8",
        "10.0.0.0/0x8", "2001:db8::/129", "2001:db8::/1280", "10.0.0/8", "host/8", "10.0.0.0//8",
    ])
    func rejectsMalformedText(_ text: String) {
        #expect(CIDR(text) == nil)
    }

    @Test func memberwiseInitValidatesLengthPerFamily() {
        #expect(CIDR(network: IPAddress("10.0.0.0")!, prefixLength: 33) == nil)
        #expect(CIDR(network: IPAddress("10.0.0.0")!, prefixLength: -1) == nil)
        #expect(CIDR(network: IPAddress("::")!, prefixLength: 129) == nil)
        #expect(CIDR(network: IPAddress("::")!, prefixLength: 128) != nil)
        #expect(CIDR(network: IPAddress("172.31.255.255")!, prefixLength: 12)?.network == IPAddress("172.16.0.0"))
    }

    @Test func containsRespectsPrefixBoundaries() throws {
        let cidr = try #require(CIDR("172.16.0.0/12"))
        #expect(cidr.contains(IPAddress("172.16.0.0")!))
        #expect(cidr.contains(IPAddress("172.31.255.255")!))
        #expect(!cidr.contains(IPAddress("172.15.255.255")!))
        #expect(!cidr.contains(IPAddress("172.32.0.0")!))
        let v6 = try #require(CIDR("fe80::/10"))
        #expect(v6.contains(IPAddress("febf:ffff::1")!))
        #expect(!v6.contains(IPAddress("fec0::1")!))
    }

    @Test func zeroLengthPrefixContainsItsWholeFamilyOnly() throws {
        let all4 = try #require(CIDR("0.0.0.0/0"))
        #expect(all4.contains(IPAddress("255.255.255.255")!))
        #expect(!all4.contains(IPAddress("::")!))
        let all6 = try #require(CIDR("::/0"))
        #expect(all6.contains(IPAddress("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")!))
        #expect(!all6.contains(IPAddress("0.0.0.0")!))
    }

    @Test func neverMatchesAcrossFamilies() throws {
        let mapped = try #require(CIDR("::ffff:0:0/96"))
        #expect(!mapped.contains(IPAddress("10.0.0.1")!))
        let v4 = try #require(CIDR("10.0.0.0/8"))
        #expect(!v4.contains(IPAddress("::ffff:10.0.0.1")!))
    }

    @Test func equalPrefixesAreEqualWhateverTheHostBits() {
        #expect(CIDR("10.9.9.9/8") == CIDR("10.0.0.0/8"))
        #expect(CIDR("10.0.0.0/8") != CIDR("10.0.0.0/9"))
    }
}
