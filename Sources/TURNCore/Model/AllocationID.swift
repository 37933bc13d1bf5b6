/// A core-local allocation identifier, never reused within one core (for logs, metrics and the
/// admin API; the protocol identifies an allocation by its 5-tuple).
public struct AllocationID: Hashable, Sendable, Comparable {
    public var rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension AllocationID: CustomStringConvertible {
    public var description: String { "allocation-\(rawValue)" }
}
