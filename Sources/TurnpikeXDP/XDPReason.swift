import CTurnpikeXDP

/// What the program did with a packet: the XDP action a reason maps to.
public enum XDPVerdict: UInt32, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case drop = 1
    case pass = 2
    case tx = 3
    case redirect = 4

    /// The metric label value.
    public var description: String {
        switch self {
        case .drop: "drop"
        case .pass: "pass"
        case .tx: "tx"
        case .redirect: "redirect"
        }
    }
}

/// One entry of the verdict reason registry in turnpike_xdp.h: a stable number (the index of its
/// counter), a stable short name (the metric label) and the verdict it always produces.
public struct XDPReason: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: UInt32
    public let name: String
    public let verdict: XDPVerdict

    /// The registry entry with this number, nil for a number the registry does not have.
    public init?(rawValue: UInt32) {
        guard let name = turnpike_reason_name(rawValue),
              let verdict = XDPVerdict(rawValue: turnpike_reason_verdict(rawValue)) else { return nil }
        self.rawValue = rawValue
        self.name = String(cString: name)
        self.verdict = verdict
    }

    /// Every reason, in number order.
    public static let all: [XDPReason] = (1..<countSlots).compactMap { XDPReason(rawValue: $0) }

    /// The number of counter slots: one past the highest reason.
    public static let countSlots = UInt32(TURNPIKE_REASON_COUNT.rawValue)

    /// The reason named `name`, as the metrics spell it.
    public static func named(_ name: String) -> XDPReason? { all.first { $0.name == name } }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { "\(verdict)/\(name)" }
}
