import STUNWire
import TURNCore

/// What the shell remembers of a live allocation, for its log lines and to tie a stream
/// connection's idle timeout to the allocations made over it.
struct AllocationRecord: Sendable {
    var fiveTuple: FiveTuple
    var user: String
    var relayed: [TransportAddress]
}
