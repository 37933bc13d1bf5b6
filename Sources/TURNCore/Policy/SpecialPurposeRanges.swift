import STUNWire

/// The default deny list: every entry of the IANA IPv4 and IPv6 Special-Purpose Address
/// Registries (RFC 6890 and its updates, RFC 8190) that is not globally reachable, plus the
/// globally reachable ones a relay has no business sending to (anycast service and tunnel relay
/// prefixes), multicast, and the deprecated IPv6 site-local prefix.
///
/// The IPv4-in-IPv6 containers `::ffff:0:0/96`, `::/96` (IPv4-compatible), `::ffff:0:0:0/96` and
/// `64:ff9b::/96` are deliberately absent: the policy reduces them with `EmbeddedIPv4` and
/// judges the IPv4 address they carry, so `::ffff:1.1.1.1` is as good as `1.1.1.1` and
/// `::ffff:127.0.0.1` as bad as `127.0.0.1`.
public enum SpecialPurposeRanges {
    /// A registry entry: the prefix and where it is defined.
    public struct Entry: Hashable, Sendable {
        public var prefix: CIDR
        public var name: String
        public var reference: String
    }

    public static let ipv4: [Entry] = [
        entry("0.0.0.0/8", "This network", "RFC 791 §3.2, RFC 6890"),
        entry("10.0.0.0/8", "Private-Use", "RFC 1918"),
        entry("100.64.0.0/10", "Shared Address Space", "RFC 6598"),
        entry("127.0.0.0/8", "Loopback", "RFC 1122 §3.2.1.3"),
        entry("169.254.0.0/16", "Link Local (cloud metadata services)", "RFC 3927"),
        entry("172.16.0.0/12", "Private-Use", "RFC 1918"),
        // Includes 192.0.0.0/29 (RFC 7335), 192.0.0.8/32 (RFC 7600), 192.0.0.9/32 PCP anycast
        // (RFC 7723), 192.0.0.10/32 TURN anycast (RFC 8155), 192.0.0.170-171 (RFC 8880).
        entry("192.0.0.0/24", "IETF Protocol Assignments", "RFC 6890 §2.1"),
        entry("192.0.2.0/24", "Documentation (TEST-NET-1)", "RFC 5737"),
        entry("192.31.196.0/24", "AS112-v4", "RFC 7535"),
        entry("192.52.193.0/24", "AMT", "RFC 7450"),
        entry("192.88.99.0/24", "Deprecated (6to4 Relay Anycast)", "RFC 7526"),
        entry("192.168.0.0/16", "Private-Use", "RFC 1918"),
        entry("192.175.48.0/24", "Direct Delegation AS112 Service", "RFC 7534"),
        entry("198.18.0.0/15", "Benchmarking", "RFC 2544"),
        entry("198.51.100.0/24", "Documentation (TEST-NET-2)", "RFC 5737"),
        entry("203.0.113.0/24", "Documentation (TEST-NET-3)", "RFC 5737"),
        entry("224.0.0.0/4", "Multicast", "RFC 5771"),
        // Includes 255.255.255.255/32, Limited Broadcast (RFC 8190, RFC 919).
        entry("240.0.0.0/4", "Reserved", "RFC 1112 §4"),
    ]

    public static let ipv6: [Entry] = [
        entry("::/128", "Unspecified Address", "RFC 4291 §2.5.2"),
        entry("::1/128", "Loopback Address", "RFC 4291 §2.5.3"),
        entry("64:ff9b:1::/48", "IPv4-IPv6 Translat. (local-use)", "RFC 8215"),
        entry("100::/64", "Discard-Only Address Block", "RFC 6666"),
        entry("100:0:0:1::/64", "Dummy IPv6 Prefix", "RFC 9780"),
        // Includes Teredo 2001::/32 (RFC 4380), PCP and TURN anycast 2001:1::1-3 (RFC 7723,
        // RFC 8155, RFC 9665), benchmarking 2001:2::/48 (RFC 5180), AMT 2001:3::/32 (RFC 7450),
        // AS112-v6 2001:4:112::/48 (RFC 7535), ORCHID and ORCHIDv2 (RFC 4843, RFC 7343) and
        // DRIP DETs 2001:30::/28 (RFC 9374).
        entry("2001::/23", "IETF Protocol Assignments", "RFC 2928"),
        entry("2001:db8::/32", "Documentation", "RFC 3849"),
        // Also judged by the IPv4 address it embeds, if an operator allows the prefix.
        entry("2002::/16", "6to4", "RFC 3056"),
        entry("2620:4f:8000::/48", "Direct Delegation AS112 Service", "RFC 7534"),
        entry("3fff::/20", "Documentation", "RFC 9637"),
        entry("5f00::/16", "Segment Routing (SRv6) SIDs", "RFC 9602"),
        entry("fc00::/7", "Unique-Local (includes AWS metadata fd00:ec2::254)", "RFC 4193, RFC 8190"),
        entry("fe80::/10", "Link-Local Unicast", "RFC 4291 §2.5.6"),
        entry("fec0::/10", "Site-Local (deprecated)", "RFC 3879"),
        entry("ff00::/8", "Multicast", "RFC 4291 §2.7"),
    ]

    /// RFC 8215: refused even when an allow entry covers it, because where the IPv4 address sits
    /// inside a local-use NAT64 prefix is a local choice the policy cannot know.
    public static let localUseNAT64 = entry("64:ff9b:1::/48", "IPv4-IPv6 Translat. (local-use)", "RFC 8215").prefix

    /// True when an entry of the registry of `address`'s family contains it.
    public static func contains(_ address: IPAddress) -> Bool {
        switch address {
        case .v4(let v4): ipv4.contains { $0.prefix.contains(v4) }
        case .v6(let v6): ipv6.contains { $0.prefix.contains(v6) }
        }
    }

    private static func entry(_ prefix: String, _ name: String, _ reference: String) -> Entry {
        guard let cidr = CIDR(prefix) else { preconditionFailure("invalid built-in prefix \(prefix)") }
        return Entry(prefix: cidr, name: name, reference: reference)
    }
}
