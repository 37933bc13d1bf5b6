import TURNCore

/// What one event loop counts from the core's events: plain integers owned by the loop (no
/// lock, no metric object touched), read when metrics are scraped. Requests and allocation
/// events only; per-packet counts live in the core (`RelayCore.traffic`, `drops`).
struct WorkerCounters: Sendable {
    var requests: [RequestKey: UInt64] = [:]
    var authenticationFailures: [AuthFailureReason: UInt64] = [:]
    var allocationsCreated: UInt64 = 0
    var allocationsDeleted: [AllocationEndReason: UInt64] = [:]
    /// Relay sockets that closed on their own (each bound again while its allocation lives).
    var relaySocketsLost: UInt64 = 0
    /// Datagrams for a peer dropped because their relay socket was closed and not bound again yet.
    var relaySendFailures: UInt64 = 0
    /// Datagrams from source port 0, dropped before the core: no reply could reach port 0, and a
    /// send to it fails (EINVAL). Counted as a userspace drop reason.
    var sourcePortZero: UInt64 = 0
    static let sourcePortZeroReason = "source_port_zero"
    /// UDP datagrams the kernel refused, by socket role and reason (`DatagramSendQueue`);
    /// datagrams it took, and the sendmmsg calls that carried them. Copied in at each sample.
    var sendFailures: [SendFailureKey: UInt64] = [:]
    var datagramsSent: UInt64 = 0
    var sendSystemCalls: UInt64 = 0
    /// Permissions and channel bindings a reloaded peer policy removed.
    var permissionsRevoked: UInt64 = 0
    var channelsRevoked: UInt64 = 0

    mutating func count(_ event: RelayEvent) {
        switch event {
        case .allocationCreated:
            allocationsCreated &+= 1
        case .allocationDeleted(_, let reason, _):
            allocationsDeleted[reason, default: 0] &+= 1
        case .requestAnswered(let method, let errorCode):
            requests[RequestKey(method: RequestLabels.method(method), result: RequestLabels.result(errorCode)), default: 0] &+= 1
        case .authenticationFailed(let reason):
            authenticationFailures[reason, default: 0] &+= 1
        case .peersRevoked(_, let permissions, let channels):
            permissionsRevoked &+= UInt64(permissions)
            channelsRevoked &+= UInt64(channels)
        }
    }

    /// The sum of several loops' counters.
    static func sum(_ all: [WorkerCounters]) -> WorkerCounters {
        var total = WorkerCounters()
        for counters in all {
            total.requests.merge(counters.requests, uniquingKeysWith: &+)
            total.authenticationFailures.merge(counters.authenticationFailures, uniquingKeysWith: &+)
            total.allocationsCreated &+= counters.allocationsCreated
            total.allocationsDeleted.merge(counters.allocationsDeleted, uniquingKeysWith: &+)
            total.relaySocketsLost &+= counters.relaySocketsLost
            total.relaySendFailures &+= counters.relaySendFailures
            total.sourcePortZero &+= counters.sourcePortZero
            total.sendFailures.merge(counters.sendFailures, uniquingKeysWith: &+)
            total.datagramsSent &+= counters.datagramsSent
            total.sendSystemCalls &+= counters.sendSystemCalls
            total.permissionsRevoked &+= counters.permissionsRevoked
            total.channelsRevoked &+= counters.channelsRevoked
        }
        return total
    }
}
