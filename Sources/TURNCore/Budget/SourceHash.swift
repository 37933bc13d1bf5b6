import STUNWire

/// Picks a slot of a fixed table for a client address by a keyed hash (SipHash-2-4 keyed from a
/// seed), so that nobody who lacks the seed can aim many sources at one slot or spread one
/// source over many. An IPv6 source is hashed by its /64 (RFC 4291 §2.5.4: one subnet, typically
/// one host or site), so rotating interface identifiers gains nothing; an IPv4-mapped IPv6
/// source (a dual-stack socket) counts as its IPv4 address. Shared by the per-source tables
/// (`ReplyRateLimiter`, `AuthFailureTable`), which keep no state per source beyond their slots.
struct SourceHash: Sendable {
    private let k0: UInt64
    private let k1: UInt64

    /// Family tags hashed with the address so an IPv4 address and an IPv6 prefix never share input.
    private static let ipv4Tag: UInt64 = 4
    private static let ipv6PrefixTag: UInt64 = 6
    /// Bits of an IPv6 address that name its subnet (RFC 4291 §2.5.4).
    private static let ipv6SubnetShift: UInt128 = 64

    init(seed: UInt64) {
        k0 = seed
        k1 = Self.splitMix64(seed)
    }

    /// The index in a table of `count` (at least 1) slots for `source`.
    func slot(for source: IPAddress, count: Int) -> Int {
        let hash: UInt64
        switch source {
        case .v4(let v4):
            hash = SipHash24.hash(k0: k0, k1: k1, Self.ipv4Tag, UInt64(v4.rawValue))
        case .v6(let v6):
            if let mapped = Self.mappedIPv4(v6) {
                hash = SipHash24.hash(k0: k0, k1: k1, Self.ipv4Tag, UInt64(mapped.rawValue))
            } else {
                hash = SipHash24.hash(k0: k0, k1: k1, Self.ipv6PrefixTag, UInt64(truncatingIfNeeded: v6.rawValue >> Self.ipv6SubnetShift))
            }
        }
        return Int(hash % UInt64(max(1, count)))
    }

    /// RFC 4291 §2.5.5.2: `::ffff:a.b.c.d`.
    private static func mappedIPv4(_ address: IPv6Address) -> IPv4Address? {
        address.rawValue >> 32 == EmbeddedIPv4.mappedUpper96
            ? IPv4Address(rawValue: UInt32(truncatingIfNeeded: address.rawValue)) : nil
    }

    /// Derives the second key word from the seed (SplitMix64's output function).
    private static func splitMix64(_ seed: UInt64) -> UInt64 {
        var z = seed &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
