#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 address as a host-order integer (`192.0.2.1` is `0xC000_0201`).
public struct IPv4Address: Hashable, Sendable, Comparable {
    public var rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        rawValue = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Parses dotted-quad text; nil for anything else.
    public init?(_ text: String) {
        var storage = in_addr()
        guard inet_pton(AF_INET, text, &storage) == 1 else { return nil }
        rawValue = UInt32(bigEndian: storage.s_addr)
    }

    /// The four bytes in network order.
    public var bytes: [UInt8] {
        [UInt8(truncatingIfNeeded: rawValue >> 24), UInt8(truncatingIfNeeded: rawValue >> 16),
         UInt8(truncatingIfNeeded: rawValue >> 8), UInt8(truncatingIfNeeded: rawValue)]
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension IPv4Address: CustomStringConvertible {
    public var description: String {
        bytes.map(String.init).joined(separator: ".")
    }
}

/// An IPv6 address as a host-order integer (the first byte on the wire is the most significant).
public struct IPv6Address: Hashable, Sendable, Comparable {
    public var rawValue: UInt128

    public init(rawValue: UInt128) { self.rawValue = rawValue }

    /// Parses RFC 4291 text (including `::` and a trailing dotted quad); nil for anything else.
    public init?(_ text: String) {
        var storage = in6_addr()
        guard inet_pton(AF_INET6, text, &storage) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &storage) { Array($0) }
        self.init(bytes: bytes[...])
    }

    /// Builds an address from exactly 16 bytes in network order.
    public init?(bytes: ArraySlice<UInt8>) {
        guard bytes.count == 16 else { return nil }
        rawValue = bytes.reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
    }

    /// The sixteen bytes in network order.
    public var bytes: [UInt8] {
        (0..<16).map { UInt8(truncatingIfNeeded: rawValue >> (120 - 8 * UInt128($0))) }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension IPv6Address: CustomStringConvertible {
    /// RFC 5952 canonical text, as `inet_ntop` renders it.
    public var description: String {
        var storage = in6_addr()
        withUnsafeMutableBytes(of: &storage) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &storage, &text, socklen_t(text.count)) != nil else { return "?" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// The address families STUN and TURN carry (RFC 8489 §14.1, RFC 8656 §18.6).
public enum AddressFamily: UInt8, Hashable, Sendable, CaseIterable {
    case ipv4 = 0x01
    case ipv6 = 0x02
}

/// An IP address of either family.
public enum IPAddress: Hashable, Sendable {
    case v4(IPv4Address)
    case v6(IPv6Address)

    /// Parses IPv4 or IPv6 text.
    public init?(_ text: String) {
        if let v4 = IPv4Address(text) {
            self = .v4(v4)
        } else if let v6 = IPv6Address(text) {
            self = .v6(v6)
        } else {
            return nil
        }
    }

    public var family: AddressFamily {
        switch self {
        case .v4: .ipv4
        case .v6: .ipv6
        }
    }

    /// The address bytes in network order (4 or 16).
    public var bytes: [UInt8] {
        switch self {
        case .v4(let address): address.bytes
        case .v6(let address): address.bytes
        }
    }
}

extension IPAddress: CustomStringConvertible {
    public var description: String {
        switch self {
        case .v4(let address): address.description
        case .v6(let address): address.description
        }
    }
}
