/// Relayed application data, both directions: what one allocation, one worker or one datapath
/// carried. Bytes are application data bytes (a ChannelData payload, a peer datagram's
/// payload), the unit the XDP program counts in too, so the two datapaths can be added.
public struct TrafficCounters: Hashable, Sendable {
    public var toPeerPackets: UInt64 = 0
    public var toPeerBytes: UInt64 = 0
    public var toClientPackets: UInt64 = 0
    public var toClientBytes: UInt64 = 0

    public init(toPeerPackets: UInt64 = 0, toPeerBytes: UInt64 = 0, toClientPackets: UInt64 = 0, toClientBytes: UInt64 = 0) {
        self.toPeerPackets = toPeerPackets
        self.toPeerBytes = toPeerBytes
        self.toClientPackets = toClientPackets
        self.toClientBytes = toClientBytes
    }

    public var isZero: Bool { self == TrafficCounters() }

    mutating func countToPeer(bytes: Int) {
        toPeerPackets &+= 1
        toPeerBytes &+= UInt64(truncatingIfNeeded: bytes)
    }

    mutating func countToClient(bytes: Int) {
        toClientPackets &+= 1
        toClientBytes &+= UInt64(truncatingIfNeeded: bytes)
    }

    public static func + (lhs: Self, rhs: Self) -> Self {
        TrafficCounters(
            toPeerPackets: lhs.toPeerPackets &+ rhs.toPeerPackets, toPeerBytes: lhs.toPeerBytes &+ rhs.toPeerBytes,
            toClientPackets: lhs.toClientPackets &+ rhs.toClientPackets, toClientBytes: lhs.toClientBytes &+ rhs.toClientBytes)
    }

    public static func += (lhs: inout Self, rhs: Self) { lhs = lhs + rhs }
}
