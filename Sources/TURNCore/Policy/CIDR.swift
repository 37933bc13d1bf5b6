import STUNWire

/// An address prefix in CIDR notation (RFC 4632 §3.1 for IPv4, RFC 4291 §2.3 for IPv6):
/// the addresses whose first `prefixLength` bits equal those of `network`.
public struct CIDR: Hashable, Sendable, CustomStringConvertible {
    /// The first address of the prefix, with every host bit zero.
    public let network: IPAddress
    public let prefixLength: Int

    static let ipv4Bits = 32
    static let ipv6Bits = 128
    /// Longest prefix-length text accepted ("128").
    private static let maximumPrefixDigits = 3

    /// Parses `10.0.0.0/8` or `2001:db8::/32`; a bare address is a host route (/32 or /128).
    /// Host bits set in the text are cleared. Nil for anything else, including a sign or
    /// whitespace in the prefix length and a length out of range for the family.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, let address = IPAddress(String(parts[0])) else { return nil }
        guard parts.count == 2 else {
            self.init(network: address, prefixLength: Self.bits(of: address.family))
            return
        }
        let lengthText = parts[1]
        guard !lengthText.isEmpty, lengthText.count <= Self.maximumPrefixDigits,
              lengthText.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let length = Int(lengthText) else { return nil }
        self.init(network: address, prefixLength: length)
    }

    /// The prefix of `network`'s first `prefixLength` bits; nil if the length is out of range
    /// for the family.
    public init?(network: IPAddress, prefixLength: Int) {
        guard prefixLength >= 0, prefixLength <= Self.bits(of: network.family) else { return nil }
        self.prefixLength = prefixLength
        switch network {
        case .v4(let address):
            self.network = .v4(IPv4Address(rawValue: address.rawValue & Self.mask32(prefixLength)))
        case .v6(let address):
            self.network = .v6(IPv6Address(rawValue: address.rawValue & Self.mask128(prefixLength)))
        }
    }

    /// True when `address` is in this prefix; always false across families.
    public func contains(_ address: IPAddress) -> Bool {
        switch (network, address) {
        case (.v4(let base), .v4(let candidate)):
            contains(candidate, base: base)
        case (.v6(let base), .v6(let candidate)):
            contains(candidate, base: base)
        case (.v4, .v6), (.v6, .v4):
            false
        }
    }

    /// IPv4 containment without wrapping the address in `IPAddress`.
    func contains(_ address: IPv4Address) -> Bool {
        guard case .v4(let base) = network else { return false }
        return contains(address, base: base)
    }

    /// IPv6 containment without wrapping the address in `IPAddress`.
    func contains(_ address: IPv6Address) -> Bool {
        guard case .v6(let base) = network else { return false }
        return contains(address, base: base)
    }

    public var description: String { "\(network)/\(prefixLength)" }

    private func contains(_ address: IPv4Address, base: IPv4Address) -> Bool {
        address.rawValue & Self.mask32(prefixLength) == base.rawValue
    }

    private func contains(_ address: IPv6Address, base: IPv6Address) -> Bool {
        address.rawValue & Self.mask128(prefixLength) == base.rawValue
    }

    private static func bits(of family: AddressFamily) -> Int {
        switch family {
        case .ipv4: ipv4Bits
        case .ipv6: ipv6Bits
        }
    }

    /// The netmask of a /`length` IPv4 prefix (0...32).
    private static func mask32(_ length: Int) -> UInt32 {
        length == 0 ? 0 : UInt32.max << UInt32(ipv4Bits - length)
    }

    /// The netmask of a /`length` IPv6 prefix (0...128).
    private static func mask128(_ length: Int) -> UInt128 {
        length == 0 ? 0 : UInt128.max << UInt128(ipv6Bits - length)
    }
}
