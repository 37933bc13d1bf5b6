extension ServerConfiguration {
    /// Limits on TCP and TLS client connections (RFC 8656 §3.1).
    public struct Streams: Hashable, Sendable {
        /// A connection with no complete frame and no allocation for this long is closed.
        public var idleTimeout: Duration
        /// Open TCP plus TLS connections at most; further accepts are closed at once.
        public var maxConnections: Int
        /// Open connections per source (an IPv4 address or an IPv6 /64) at most; 0 = unlimited.
        public var maxConnectionsPerSource: Int
        /// Time from the accept to the end of the TLS handshake and to the first complete STUN
        /// message; a connection that has not got that far is closed.
        public var handshakeTimeout: Duration
        /// Bytes a connection may have waiting to be sent before relayed data for it is dropped.
        public var outboundQueueBytes: UInt64

        public init(
            idleTimeout: Duration, maxConnections: Int,
            maxConnectionsPerSource: Int = Defaults.maxStreamConnectionsPerSource,
            handshakeTimeout: Duration = Defaults.streamHandshakeTimeout,
            outboundQueueBytes: UInt64 = Defaults.streamOutboundQueue
        ) {
            self.idleTimeout = idleTimeout
            self.maxConnections = maxConnections
            self.maxConnectionsPerSource = maxConnectionsPerSource
            self.handshakeTimeout = handshakeTimeout
            self.outboundQueueBytes = outboundQueueBytes
        }
    }

    /// The smallest `streams.outbound-queue`, about one frame of the largest size (RFC 8656
    /// §3.1): a smaller queue would drop ordinary bursts. (An empty queue takes any one frame,
    /// so no datagram is too large for it.)
    public static let minimumStreamOutboundQueue: UInt64 = 64 << 10
}
