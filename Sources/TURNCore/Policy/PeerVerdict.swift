/// What the peer policy says about a peer address or a destination.
public enum PeerVerdict: Hashable, Sendable {
    /// Relay it.
    case allowed
    /// One of this server's own relay addresses: traffic between two allocations on this server,
    /// delivered internally rather than sent out and back in.
    case ownRelay
    /// Do not relay; the reason is a metric label.
    case refused(PeerRefusal)
}

/// Why a peer or destination was refused, stable enough to be a metric label.
public enum PeerRefusal: String, Hashable, Sendable, CaseIterable {
    /// The operator's deny list covers it.
    case denyList = "deny_list"
    /// An IANA special-purpose range covers it (or an IPv4 address it embeds).
    case specialPurpose = "special_purpose"
    /// One of this server's own listening, metrics or admin addresses, or a port of an own
    /// address outside the relay range.
    case serverEndpoint = "server_endpoint"
}
