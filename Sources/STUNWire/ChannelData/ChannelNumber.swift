/// A TURN channel number (RFC 8656 §12).
public struct ChannelNumber: RawRepresentable, Hashable, Sendable, Comparable {
    public var rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// RFC 8656 §12: the only numbers a client may bind; 0x5000-0x7FFF are reserved.
    public static let validRange: ClosedRange<UInt16> = 0x4000...0x4FFF

    public var isValid: Bool { Self.validRange.contains(rawValue) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension ChannelNumber: CustomStringConvertible {
    public var description: String { "0x" + String(rawValue, radix: 16, uppercase: true) }
}
