/// What the kernel relayed for one route (channel binding), summed over CPUs. Bytes are
/// application data bytes, the unit userspace counts in.
public struct XDPRouteCounters: Hashable, Sendable {
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
}

/// Packets and received frame bytes counted under one verdict reason, summed over CPUs.
public struct XDPReasonCounters: Hashable, Sendable {
    public var packets: UInt64 = 0
    public var bytes: UInt64 = 0

    public init(packets: UInt64 = 0, bytes: UInt64 = 0) {
        self.packets = packets
        self.bytes = bytes
    }
}
