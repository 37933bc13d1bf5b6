import STUNWire

/// Facts for metrics and logs. Labels derived from them must stay bounded: use the enums, not
/// the addresses or usernames, as metric labels.
public enum RelayEvent: Hashable, Sendable {
    case allocationCreated(AllocationID, fiveTuple: FiveTuple, user: String, relayed: [TransportAddress])
    /// `usage`: what userspace relayed for it over its life (the kernel's share is the shell's to
    /// add), for the usage record logged when an allocation ends.
    case allocationDeleted(AllocationID, reason: AllocationEndReason, usage: TrafficCounters = TrafficCounters())
    /// A request was answered; `errorCode` is nil for a success response.
    case requestAnswered(method: Method, errorCode: UInt16?)
    case authenticationFailed(AuthFailureReason)
    /// A reload's peer policy refuses peers this allocation had: `permissions` permissions and
    /// `channels` channel bindings were removed at once (with their fast-path routes).
    case peersRevoked(AllocationID, permissions: Int, channels: Int)
}
