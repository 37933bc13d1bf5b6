/// Why the core dropped an input without answering (RFC 8489 §6.3: malformed input is discarded
/// silently). Raw values are stable metric labels.
public enum DropReason: String, Hashable, Sendable, CaseIterable {
    /// Neither STUN nor ChannelData by its first two bits (RFC 8656 §12, RFC 7983).
    case unrecognizedDatagram = "unrecognized_datagram"
    /// Looked like STUN but did not decode (RFC 8489 §6.3).
    case malformedSTUN = "malformed_stun"
    /// Looked like ChannelData but did not decode (RFC 8656 §12.4).
    case malformedChannelData = "malformed_channel_data"
    /// A response from a client: the server sends no requests (RFC 8489 §6.3.3).
    case unexpectedResponse = "unexpected_response"
    /// An indication other than Send from a client (RFC 8656 §11).
    case unexpectedIndication = "unexpected_indication"
    /// An indication with an unknown comprehension-required attribute (RFC 8489 §6.3.2).
    case indicationUnknownAttribute = "indication_unknown_attribute"
    /// A Send indication without XOR-PEER-ADDRESS or DATA (RFC 8656 §11.2).
    case malformedSend = "malformed_send"
    /// A Send indication or ChannelData on a 5-tuple without an allocation (RFC 8656 §11.2, §12.6).
    case noAllocation = "no_allocation"
    /// A Send indication or ChannelData to a peer without a permission (RFC 8656 §11.2, §12.6).
    case noPermission = "no_permission"
    /// A Send indication to an address the peer policy refuses.
    case peerRefused = "peer_refused"
    /// A Send indication to a peer of a family the allocation has no relayed address for.
    case peerFamilyMismatch = "peer_family_mismatch"
    /// ChannelData on a channel that is not bound (RFC 8656 §12.6).
    case unboundChannel = "unbound_channel"
    /// A peer datagram to a relay port with no allocation (or only a reservation).
    case peerNoAllocation = "peer_no_allocation"
    /// A peer datagram from an address without a permission (RFC 8656 §11.3).
    case peerNoPermission = "peer_no_permission"
    /// The allocation's bandwidth budget is spent.
    case allocationBandwidth = "allocation_bandwidth"
    /// The user's bandwidth budget is spent.
    case userBandwidth = "user_bandwidth"
    /// An unauthenticated reply (401/438/400/420, or a Binding success response) over the
    /// per-source budget (RFC 8489 §9.2.4 replies; DESIGN.md budgets).
    case replyRateLimited = "reply_rate_limited"
    /// A retransmitted Allocate while its relay port is still being opened: it will be answered.
    case allocatePending = "allocate_pending"
    /// A Data indication that would not fit a STUN message (RFC 8656 §11.3).
    case dataTooLarge = "data_too_large"
    /// An unauthenticated reply (401/438/400/420 before authentication, or a Binding success
    /// response) larger than the core's amplification credit (`AmplificationBudget`).
    case amplificationLimited = "amplification_limited"
    /// An authenticated request from a source past its failed-authentication budget, not
    /// evaluated (`AuthFailureTable`; docs/hardening.md, "Password guessing").
    case authSourceLimited = "auth_source_limited"
    /// An authenticated request naming a static user whose failure budget is empty, from a
    /// source not in good standing, not evaluated (`UsernameFailureBudgets`).
    case authUsernameLimited = "auth_username_limited"
    /// A Send indication to peer port 0: reserved (RFC 6335 §6), no socket receives on it, so
    /// relaying there could only probe networks or stacks.
    case peerPortZero = "peer_port_zero"
}
