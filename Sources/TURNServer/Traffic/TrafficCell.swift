/// The userspace traffic of one relay socket, shared by its `Outlet` (what is sent to peers) and
/// its `PeerDatagramHandler` (what comes back and goes to the client), so that counting costs
/// no lookup per packet. Touched only on the owning worker's loop.
final class TrafficCell: @unchecked Sendable {
    var counters = TrafficCounters()
}
