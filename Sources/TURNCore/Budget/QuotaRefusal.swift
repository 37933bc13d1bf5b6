import STUNWire

/// Which allocation limit refused an Allocate (RFC 8656 §7.2).
public enum QuotaRefusal: Hashable, Sendable {
    /// The user holds its quota of allocations: 486 (Allocation Quota Reached).
    case userQuota
    /// The server holds its total of allocations: 508 (Insufficient Capacity).
    case capacity

    var errorCode: ErrorCode {
        switch self {
        case .userQuota: .allocationQuotaReached
        case .capacity: .insufficientCapacity
        }
    }
}
