import STUNWire

/// The IPv4 addresses an IPv6 address carries, so the peer policy can judge a packet by where it
/// would finally go: a translator or tunnel relay turns each of these forms into IPv4 traffic.
///
/// At most two: Teredo names both a server and a client. No heap allocation.
/// Forms: IPv4-mapped, IPv4-compatible, SIIT, NAT64 well-known prefix, 6to4, Teredo, ISATAP.
public struct EmbeddedIPv4: Hashable, Sendable {
    public var first: IPv4Address
    public var second: IPv4Address?

    public init(_ first: IPv4Address, _ second: IPv4Address? = nil) {
        self.first = first
        self.second = second
    }

    /// The IPv4 address(es) embedded in `address`, or nil if it has none.
    ///
    /// `64:ff9b:1::/48` (RFC 8215) is not reduced: a local-use NAT64 prefix may put the IPv4
    /// address anywhere RFC 6052 §2.2 allows, so the policy refuses it outright instead.
    public static func extract(from address: IPv6Address) -> EmbeddedIPv4? {
        let raw = address.rawValue
        let low32 = IPv4Address(rawValue: UInt32(truncatingIfNeeded: raw))
        let upper96 = raw >> 32
        if upper96 == mappedUpper96 || upper96 == translatedUpper96 || upper96 == nat64WellKnownUpper96 {
            // RFC 4291 §2.5.5.2 (::ffff:a.b.c.d), RFC 2765 §2.1 (::ffff:0:a.b.c.d),
            // RFC 6052 §2.1 (64:ff9b::a.b.c.d): the last 32 bits.
            return EmbeddedIPv4(low32)
        }
        if upper96 == 0 {
            // RFC 4291 §2.5.5.1 IPv4-compatible (::a.b.c.d), deprecated; `::` and `::1` are the
            // IPv6 unspecified and loopback addresses (RFC 4291 §2.5.2, §2.5.3), not IPv4.
            return raw <= ipv6Loopback ? nil : EmbeddedIPv4(low32)
        }
        if raw >> 112 == sixToFourPrefix16 {
            // RFC 3056 §2: 2002:V4ADDR::/48, the IPv4 address in bits 16-47.
            return EmbeddedIPv4(IPv4Address(rawValue: UInt32(truncatingIfNeeded: raw >> 80)))
        }
        if raw >> 96 == teredoPrefix32 {
            // RFC 4380 §4: 2001:0000:<server IPv4>:<flags>:<port ^ 0xFFFF>:<client IPv4 ^ 0xFFFFFFFF>.
            let server = IPv4Address(rawValue: UInt32(truncatingIfNeeded: raw >> 64))
            let client = IPv4Address(rawValue: low32.rawValue ^ UInt32.max)
            return EmbeddedIPv4(server, client)
        }
        if (raw >> 32) & isatapMask == isatapIdentifier {
            // RFC 5214 §6.1: an ISATAP interface identifier, 0000:5efe or 0200:5efe (the u/l and
            // group bits may be set) then the IPv4 address, under any /64 prefix. An ISATAP router
            // on the path delivers it to that IPv4 address (found by tests/hardening's abuse check:
            // 2001:db8:2::5efe:7f00:1 in an allowed /64 was relayed as IPv6 with 127.0.0.1 inside).
            return EmbeddedIPv4(low32)
        }
        return nil
    }

    /// Bits 32-63 of an ISATAP address: `00-00-5E-FE` with the u/l and group bits masked out.
    static let isatapIdentifier: UInt128 = 0x0000_5EFE
    static let isatapMask: UInt128 = 0xFCFF_FFFF

    /// `::ffff:0:0/96` shifted right by 32 bits.
    static let mappedUpper96: UInt128 = 0xFFFF
    /// `::ffff:0:0:0/96` (RFC 2765 IPv4-translated) shifted right by 32 bits.
    static let translatedUpper96: UInt128 = 0xFFFF_0000
    /// `64:ff9b::/96` (RFC 6052 well-known prefix) shifted right by 32 bits.
    static let nat64WellKnownUpper96: UInt128 = 0x0064_FF9B << 64
    /// `::1`.
    static let ipv6Loopback: UInt128 = 1
    /// `2002::/16` shifted right by 112 bits.
    static let sixToFourPrefix16: UInt128 = 0x2002
    /// `2001::/32` shifted right by 96 bits.
    static let teredoPrefix32: UInt128 = 0x2001_0000
}
