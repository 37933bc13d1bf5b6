import STUNWire

/// What a timer entry is for. Entries are invalidated lazily: when one fires, the object it
/// names is looked up and its own expiry decides (it may be gone, or refreshed to later).
enum TimerKind: Hashable, Sendable {
    case allocation(AllocationID)
    case permission(AllocationID, IPAddress)
    case channel(AllocationID, ChannelNumber)
    case reservation(UInt64)
}
