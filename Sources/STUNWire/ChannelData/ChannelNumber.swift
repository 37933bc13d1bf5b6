/// A TURN channel number (RFC 8656 §12).
public struct ChannelNumber: RawRepresentable, Hashable, Sendable, Comparable {
    public var rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// RFC 8656 §12: the numbers a client should bind. Turnpike's own clients choose from here.
    public static let recommendedRange: ClosedRange<UInt16> = 0x4000...0x4FFF

    /// The numbers a server accepts: RFC 5766 §11's range. RFC 8656 §12 reserved 0x5000-0x7FFF so
    /// that a client's socket can tell ChannelData from DTLS-SRTP (RFC 7983); a server's TURN port
    /// carries neither, so accepting them costs nothing, and RFC 5766 clients still use them
    /// (coturn 4.6's turnutils_uclient picks numbers up to 0x7FFF, and coturn's server accepts them).
    public static let validRange: ClosedRange<UInt16> = 0x4000...0x7FFF

    public var isValid: Bool { Self.validRange.contains(rawValue) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension ChannelNumber: CustomStringConvertible {
    public var description: String { "0x" + String(rawValue, radix: 16, uppercase: true) }
}
