import STUNWire

/// A channel binding (RFC 8656 §12): bound until `expiry`, then cooling down until the same time
/// plus the cool-down, when its number and peer are still held for each other.
struct ChannelBinding: Sendable {
    enum Phase: Sendable {
        case bound
        case coolingDown
    }

    var peer: TransportAddress
    var phase: Phase
    /// End of the current phase.
    var expiry: Instant
    var timerDeadline: Instant
    /// Whether the shell has this channel's fast-path route (bound and the peer permitted).
    var routeInstalled: Bool
    /// The peer is another allocation's relayed address on this server.
    var peerIsOwnRelay: Bool

    func isBound(at now: Instant) -> Bool {
        switch phase {
        case .bound: now < expiry
        case .coolingDown: false
        }
    }
}
