import STUNWire
import Testing
@testable import TURNCore

private func ip(_ text: String) -> IPAddress {
    guard let address = IPAddress(text) else { preconditionFailure("bad test address \(text)") }
    return address
}

private func cidr(_ text: String) -> CIDR {
    guard let prefix = CIDR(text) else { preconditionFailure("bad test prefix \(text)") }
    return prefix
}

private func v6(_ text: String) -> IPv6Address {
    guard let address = IPv6Address(text) else { preconditionFailure("bad test address \(text)") }
    return address
}

/// A Teredo address (RFC 4380 §4) with the given server and client, built field by field.
private func teredo(server: IPv4Address, client: IPv4Address, flags: UInt16 = 0x8000, port: UInt16 = 40000) -> IPAddress {
    var raw = UInt128(0x2001_0000) << 96
    raw |= UInt128(server.rawValue) << 64
    raw |= UInt128(flags) << 48
    raw |= UInt128(port ^ 0xFFFF) << 32
    raw |= UInt128(client.rawValue ^ 0xFFFF_FFFF)
    return .v6(IPv6Address(rawValue: raw))
}

private let loopback4 = IPv4Address(127, 0, 0, 1)
private let public4 = IPv4Address(1, 1, 1, 1)
private let otherPublic4 = IPv4Address(8, 8, 4, 4)

@Suite struct PeerPolicyTests {
    let policy = PeerPolicy()

    // MARK: default deny, every bypass form

    @Test(arguments: [
        "0.0.0.0", "0.1.2.3", "10.1.2.3", "100.64.0.1", "127.0.0.1", "127.255.255.254", "169.254.169.254",
        "172.16.0.1", "172.31.255.255", "192.0.0.10", "192.0.0.192", "192.0.2.1", "192.31.196.1", "192.52.193.1",
        "192.88.99.1", "192.168.1.1", "192.175.48.1", "198.18.0.1", "198.19.255.255", "198.51.100.1",
        "203.0.113.1", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
        "::", "::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::127.0.0.1", "::0.0.0.2", "::ffff:0:127.0.0.1",
        "2002:7f00:1::", "2002:a9fe:a9fe::1", "2002:101:101::1", "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe",
        "64:ff9b:1::1", "64:ff9b:1:101:101::", "100::1", "100:0:0:1::1", "2001::1", "2001:1::2", "2001:2::1",
        "2001:db8::1", "2620:4f:8000::1", "3fff::1", "5f00::1", "fc00::1", "fd00:ec2::254", "fe80::1",
        "febf::1", "fec0::1", "ff02::1", "ff0e::1",
    ])
    func refusesSpecialPurposeAddresses(_ text: String) {
        #expect(policy.check(peer: ip(text)) == .refused(.specialPurpose))
        #expect(policy.check(destination: TransportAddress(ip: ip(text), port: 50000)) == .refused(.specialPurpose))
    }

    @Test func refusesTeredoWithLoopbackServerOrClient() {
        let open = PeerPolicy(allow: [cidr("2001::/32")])
        let serverLoop = teredo(server: loopback4, client: public4)
        let clientLoop = teredo(server: public4, client: loopback4)
        let neither = teredo(server: public4, client: otherPublic4)
        // Teredo sits in 2001::/23, refused by default whatever it embeds.
        #expect(policy.check(peer: neither) == .refused(.specialPurpose))
        // Allowing the Teredo prefix still judges both embedded IPv4 addresses.
        #expect(open.check(peer: serverLoop) == .refused(.specialPurpose))
        #expect(open.check(peer: clientLoop) == .refused(.specialPurpose))
        #expect(open.check(peer: neither) == .allowed)
    }

    @Test func allowingSixToFourStillJudgesTheEmbeddedAddress() {
        let open = PeerPolicy(allow: [cidr("2002::/16")])
        #expect(open.check(peer: ip("2002:7f00:1::")) == .refused(.specialPurpose))
        #expect(open.check(peer: ip("2002:a9fe:a9fe::1")) == .refused(.specialPurpose))
        #expect(open.check(peer: ip("2002:101:101::1")) == .allowed)
    }

    @Test(arguments: [
        "2001:db8:2::5efe:7f00:1", "2001:db8:2::200:5efe:7f00:1", "2001:db8:2::100:5efe:a9fe:a9fe",
        "2001:db8:2::300:5efe:a00:1", "2a00:1::5efe:c0a8:101",
    ])
    func allowingAPrefixStillJudgesAnISATAPAddress(_ text: String) {
        // RFC 5214 §6.1: the interface identifier carries an IPv4 address, whatever the prefix.
        let open = PeerPolicy(allow: [cidr("2001:db8:2::/64")])
        #expect(open.check(peer: ip(text)) == .refused(.specialPurpose))
    }

    @Test func anISATAPAddressOfAPublicIPv4IsAllowed() {
        let open = PeerPolicy(allow: [cidr("2001:db8:2::/64")])
        #expect(open.check(peer: ip("2001:db8:2::200:5efe:101:101")) == .allowed)
        #expect(policy.check(peer: ip("2a00:1::5efe:808:404")) == .allowed)
        // Not ISATAP: 5efe elsewhere in the identifier.
        #expect(policy.check(peer: ip("2a00:1::5efe:0:7f00:1")) == .allowed)
    }

    @Test func localUseNAT64IsRefusedEvenWhenAllowed() {
        let open = PeerPolicy(allow: [cidr("::/0")])
        #expect(open.check(peer: ip("64:ff9b:1::101:101")) == .refused(.specialPurpose))
        #expect(open.check(peer: ip("2001:db8::1")) == .allowed)
    }

    // MARK: globally reachable addresses

    @Test(arguments: [
        "1.1.1.1", "8.8.8.8", "9.9.9.9", "192.0.1.255", "192.0.3.0", "198.17.255.255", "198.20.0.0",
        "223.255.255.255", "100.63.255.255", "100.128.0.0", "172.32.0.1", "2606:4700::1111",
        "2001:4860:4860::8888", "2001:200::1", "::ffff:1.1.1.1", "::1.1.1.1", "::ffff:0:1.1.1.1",
        "64:ff9b::101:101", "64:ff9b::808:808",
    ])
    func allowsPublicAddresses(_ text: String) {
        #expect(policy.check(peer: ip(text)) == .allowed)
        #expect(policy.check(destination: TransportAddress(ip: ip(text), port: 3478)) == .allowed)
    }

    // MARK: allow and deny lists

    @Test func allowOverridesTheDefaultList() {
        let lab = PeerPolicy(allow: [cidr("198.18.0.0/15")])
        #expect(policy.check(peer: ip("198.18.0.1")) == .refused(.specialPurpose))
        #expect(lab.check(peer: ip("198.18.0.1")) == .allowed)
        #expect(lab.check(peer: ip("::ffff:198.18.0.1")) == .allowed)
        #expect(lab.check(peer: ip("64:ff9b::c612:1")) == .allowed)
        #expect(lab.check(peer: ip("10.0.0.1")) == .refused(.specialPurpose))
    }

    @Test func denyWinsOverAllow() {
        let mixed = PeerPolicy(allow: [cidr("198.18.0.0/15"), cidr("1.0.0.0/8")], deny: [cidr("198.18.5.0/24"), cidr("1.1.1.1")])
        #expect(mixed.check(peer: ip("198.18.4.1")) == .allowed)
        #expect(mixed.check(peer: ip("198.18.5.1")) == .refused(.denyList))
        #expect(mixed.check(peer: ip("1.1.1.1")) == .refused(.denyList))
        #expect(mixed.check(peer: ip("1.1.1.2")) == .allowed)
    }

    @Test func denyAppliesToEmbeddedAddresses() {
        let strict = PeerPolicy(deny: [cidr("1.1.1.0/24"), cidr("2606:4700::/32")])
        #expect(strict.check(peer: ip("1.1.1.1")) == .refused(.denyList))
        #expect(strict.check(peer: ip("::ffff:1.1.1.1")) == .refused(.denyList))
        #expect(strict.check(peer: ip("64:ff9b::101:101")) == .refused(.denyList))
        #expect(strict.check(peer: ip("2606:4700::1111")) == .refused(.denyList))
        #expect(strict.check(peer: ip("8.8.8.8")) == .allowed)
    }

    @Test func denyCanRefuseOtherwisePublicRanges() {
        let strict = PeerPolicy(deny: [cidr("0.0.0.0/0")])
        #expect(strict.check(peer: ip("8.8.8.8")) == .refused(.denyList))
        #expect(strict.check(peer: ip("10.0.0.1")) == .refused(.denyList))
        #expect(strict.check(peer: ip("2606:4700::1111")) == .allowed)
    }

    // MARK: own relay addresses and server endpoints

    @Test func ownRelayAddressAtPermissionLevel() {
        let own = PeerPolicy(ownRelayAddresses: [ip("203.0.113.5"), ip("2001:db8::5"), ip("10.0.0.5")])
        #expect(own.check(peer: ip("203.0.113.5")) == .ownRelay)
        #expect(own.check(peer: ip("2001:db8::5")) == .ownRelay)
        #expect(own.check(peer: ip("10.0.0.5")) == .ownRelay)
        #expect(own.check(peer: ip("::ffff:203.0.113.5")) == .ownRelay)
        #expect(own.check(peer: ip("64:ff9b::cb00:7105")) == .ownRelay)
        #expect(own.check(peer: ip("203.0.113.6")) == .refused(.specialPurpose))
        #expect(own.check(peer: ip("10.0.0.6")) == .refused(.specialPurpose))
    }

    @Test func ownRelayDestinationNeedsARelayPort() {
        let own = PeerPolicy(ownRelayAddresses: [ip("198.51.100.7"), ip("2001:db8::7")], relayPorts: 50000...50100)
        #expect(own.check(destination: TransportAddress("198.51.100.7:50000")!) == .ownRelay)
        #expect(own.check(destination: TransportAddress("198.51.100.7:50100")!) == .ownRelay)
        #expect(own.check(destination: TransportAddress("198.51.100.7:49999")!) == .refused(.serverEndpoint))
        #expect(own.check(destination: TransportAddress("198.51.100.7:50101")!) == .refused(.serverEndpoint))
        #expect(own.check(destination: TransportAddress("198.51.100.7:3478")!) == .refused(.serverEndpoint))
        #expect(own.check(destination: TransportAddress("[2001:db8::7]:50050")!) == .ownRelay)
        #expect(own.check(destination: TransportAddress("[2001:db8::7]:22")!) == .refused(.serverEndpoint))
        #expect(own.check(destination: TransportAddress("[::ffff:198.51.100.7]:50050")!) == .ownRelay)
        #expect(own.check(destination: TransportAddress("[::ffff:198.51.100.7]:22")!) == .refused(.serverEndpoint))
    }

    @Test func defaultRelayPortsAreTheDynamicRange() {
        let own = PeerPolicy(ownRelayAddresses: [ip("1.1.1.1")])
        #expect(own.check(destination: TransportAddress("1.1.1.1:49152")!) == .ownRelay)
        #expect(own.check(destination: TransportAddress("1.1.1.1:65535")!) == .ownRelay)
        #expect(own.check(destination: TransportAddress("1.1.1.1:49151")!) == .refused(.serverEndpoint))
    }

    @Test func serverEndpointsAreNeverDestinations() {
        let endpoints = [TransportAddress("8.8.8.8:3478")!, TransportAddress("[2606:4700::1111]:9090")!]
        let guarded = PeerPolicy(allow: [cidr("0.0.0.0/0")], serverEndpoints: endpoints)
        #expect(guarded.check(destination: TransportAddress("8.8.8.8:3478")!) == .refused(.serverEndpoint))
        #expect(guarded.check(destination: TransportAddress("[::ffff:8.8.8.8]:3478")!) == .refused(.serverEndpoint))
        #expect(guarded.check(destination: TransportAddress("[2606:4700::1111]:9090")!) == .refused(.serverEndpoint))
        #expect(guarded.check(destination: TransportAddress("8.8.8.8:3479")!) == .allowed)
        #expect(guarded.check(destination: TransportAddress("[2606:4700::1111]:9091")!) == .allowed)
        // Permissions are per IP: ports are checked per destination.
        #expect(guarded.check(peer: ip("8.8.8.8")) == .allowed)
    }

    @Test func serverEndpointWinsOverAnOwnRelayPort() {
        let guarded = PeerPolicy(
            ownRelayAddresses: [ip("1.1.1.1")], relayPorts: 49152...65535,
            serverEndpoints: [TransportAddress("1.1.1.1:50000")!])
        #expect(guarded.check(destination: TransportAddress("1.1.1.1:50000")!) == .refused(.serverEndpoint))
        #expect(guarded.check(destination: TransportAddress("1.1.1.1:50001")!) == .ownRelay)
    }

    @Test func wildcardEndpointCoversEveryOwnAddress() {
        let guarded = PeerPolicy(
            ownRelayAddresses: [ip("1.1.1.1")], relayPorts: 3000...65535,
            serverEndpoints: [TransportAddress("0.0.0.0:3478")!])
        #expect(guarded.check(destination: TransportAddress("1.1.1.1:3478")!) == .refused(.serverEndpoint))
        #expect(guarded.check(destination: TransportAddress("1.1.1.1:3479")!) == .ownRelay)
        #expect(guarded.check(destination: TransportAddress("8.8.8.8:3478")!) == .allowed)
    }

    // MARK: the registry and the reductions

    @Test(arguments: SpecialPurposeRanges.ipv4 + SpecialPurposeRanges.ipv6)
    func everyRegistryEntryRefusesItsFirstAndLastAddress(_ entry: SpecialPurposeRanges.Entry) {
        let first = entry.prefix.network
        let last: IPAddress = switch first {
        case .v4(let a): .v4(IPv4Address(rawValue: a.rawValue | (entry.prefix.prefixLength == 0 ? .max : (UInt32.max >> UInt32(entry.prefix.prefixLength)))))
        case .v6(let a): .v6(IPv6Address(rawValue: a.rawValue | (UInt128.max >> UInt128(entry.prefix.prefixLength))))
        }
        #expect(policy.check(peer: first) == .refused(.specialPurpose), "\(entry.name) \(first)")
        #expect(policy.check(peer: last) == .refused(.specialPurpose), "\(entry.name) \(last)")
    }

    @Test func reducesEveryEmbeddingForm() {
        #expect(EmbeddedIPv4.extract(from: v6("::ffff:127.0.0.1")) == EmbeddedIPv4(loopback4))
        #expect(EmbeddedIPv4.extract(from: v6("::127.0.0.1")) == EmbeddedIPv4(loopback4))
        #expect(EmbeddedIPv4.extract(from: v6("::ffff:0:127.0.0.1")) == EmbeddedIPv4(loopback4))
        #expect(EmbeddedIPv4.extract(from: v6("2002:7f00:1::")) == EmbeddedIPv4(loopback4))
        #expect(EmbeddedIPv4.extract(from: v6("2002:7f00:1:ffff:ffff:ffff:ffff:ffff")) == EmbeddedIPv4(loopback4))
        #expect(EmbeddedIPv4.extract(from: v6("64:ff9b::7f00:1")) == EmbeddedIPv4(loopback4))
        #expect(EmbeddedIPv4.extract(from: v6("2001:0:7f00:1:8000:63bf:fefe:fefe")) == EmbeddedIPv4(loopback4, public4))
        #expect(EmbeddedIPv4.extract(from: v6("2001:0:101:101:8000:63bf:80ff:fffe")) == EmbeddedIPv4(public4, loopback4))
        #expect(teredo(server: loopback4, client: public4) == ip("2001:0:7f00:1:8000:63bf:fefe:fefe"))
    }

    @Test func leavesOtherAddressesAlone() {
        #expect(EmbeddedIPv4.extract(from: v6("::")) == nil)
        #expect(EmbeddedIPv4.extract(from: v6("::1")) == nil)
        #expect(EmbeddedIPv4.extract(from: v6("64:ff9b:1::7f00:1")) == nil)
        #expect(EmbeddedIPv4.extract(from: v6("2606:4700::1111")) == nil)
        #expect(EmbeddedIPv4.extract(from: v6("2001:1::1")) == nil)
        #expect(EmbeddedIPv4.extract(from: v6("::1:0:0:7f00:1")) == nil)
        #expect(EmbeddedIPv4.extract(from: v6("::2")) == EmbeddedIPv4(IPv4Address(0, 0, 0, 2)))
    }

    @Test func refusalReasonsAreStableLabels() {
        #expect(PeerRefusal.allCases.map(\.rawValue) == ["deny_list", "special_purpose", "server_endpoint"])
    }
}
