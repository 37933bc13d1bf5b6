/// Why the server refused or closed a TCP or TLS client connection. Raw values are the stable
/// `reason` label of `turnpike_stream_connections_closed_total`.
enum StreamCloseReason: String, CaseIterable, Hashable, Sendable {
    /// Refused at accept: `streams.max-connections` are open.
    case connectionLimit = "connection_limit"
    /// Refused at accept: its source (IPv4 address or IPv6 /64) holds
    /// `streams.max-connections-per-source` already.
    case sourceLimit = "source_limit"
    /// The TLS handshake did not finish within `streams.handshake-timeout` of the accept.
    case handshakeTimeout = "handshake_timeout"
    /// No complete STUN message within `streams.handshake-timeout` of the accept.
    case firstMessageTimeout = "first_message_timeout"
    /// An incomplete frame would have grown past the per-connection allowance while the
    /// server-wide budget for incomplete frames was spent (`PartialFrameBudget`).
    case partialFrameBudget = "partial_frame_budget"
    /// Bytes waited in the outbound queue with none written for `StreamOutboundQueue.stallTimeout`:
    /// the client stopped reading.
    case outboundStalled = "outbound_stalled"
    /// A frame header no STUN message or ChannelData starts with (RFC 8656 §3.1: a stream
    /// cannot be resynchronised), or one announcing more than a frame can hold.
    case unframeable
    /// The TLS layer failed (a bad handshake, a protocol version or cipher suite refused).
    case tlsFailure = "tls_failure"
    /// `streams.idle-timeout` without a complete frame, and no allocation on it.
    case idle
}
