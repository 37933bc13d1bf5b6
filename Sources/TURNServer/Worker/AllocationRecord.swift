import STUNWire
import TURNCore

/// What the shell remembers of a live allocation, for its log lines (the usage record when it
/// ends) and to tie a stream connection's idle timeout to the allocations made over it.
struct AllocationRecord: Sendable {
    var fiveTuple: FiveTuple
    var user: String
    var relayed: [TransportAddress]
    /// When it was created: wall clock (Unix seconds) for the record, monotonic for its duration.
    var startedUnixSeconds: UInt64
    var started: Instant
}
