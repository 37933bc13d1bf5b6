import STUNWire

/// Whom a TCP or TLS connection is counted against for `streams.max-connections-per-source`:
/// an IPv4 address, or an IPv6 /64. A /64 is the smallest prefix a site is normally given
/// (RFC 6177), so one host cannot take more slots by cycling through its interface identifiers;
/// an IPv4-mapped address counts as the IPv4 address it carries.
struct ConnectionSource: Hashable, Sendable, CustomStringConvertible {
    enum Key: Hashable, Sendable {
        case ipv4(UInt32)
        /// The upper 64 bits of the address.
        case ipv6Prefix(UInt64)
    }

    /// RFC 4291 §2.5.5.2: `::ffff:0:0/96`.
    static let ipv4MappedPrefix: UInt128 = 0xFFFF << 32
    static let ipv4MappedMask: UInt128 = ~UInt128(UInt32.max)
    static let ipv6PrefixBits = 64

    let key: Key

    init(_ ip: IPAddress) {
        switch ip {
        case .v4(let address):
            key = .ipv4(address.rawValue)
        case .v6(let address):
            if address.rawValue & Self.ipv4MappedMask == Self.ipv4MappedPrefix {
                key = .ipv4(UInt32(truncatingIfNeeded: address.rawValue))
            } else {
                key = .ipv6Prefix(UInt64(truncatingIfNeeded: address.rawValue >> (128 - Self.ipv6PrefixBits)))
            }
        }
    }

    var description: String {
        switch key {
        case .ipv4(let raw): IPv4Address(rawValue: raw).description
        case .ipv6Prefix(let prefix): "\(IPv6Address(rawValue: UInt128(prefix) << (128 - Self.ipv6PrefixBits)))/\(Self.ipv6PrefixBits)"
        }
    }
}
