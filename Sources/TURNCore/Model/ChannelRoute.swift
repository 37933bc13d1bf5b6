import STUNWire

/// A bound channel as a kernel fast path needs it: client 5-tuple and channel number on one
/// side, relayed address and peer on the other (DESIGN.md, "Kernel fast path").
public struct ChannelRoute: Hashable, Sendable {
    public var allocation: AllocationID
    public var fiveTuple: FiveTuple
    public var channel: ChannelNumber
    /// The local relayed address of the peer's family.
    public var relayed: TransportAddress
    public var peer: TransportAddress

    public init(
        allocation: AllocationID, fiveTuple: FiveTuple, channel: ChannelNumber,
        relayed: TransportAddress, peer: TransportAddress
    ) {
        self.allocation = allocation
        self.fiveTuple = fiveTuple
        self.channel = channel
        self.relayed = relayed
        self.peer = peer
    }
}
