extension ServerConfiguration {
    /// Limits on TCP and TLS client connections (RFC 8656 §3.1).
    public struct Streams: Hashable, Sendable {
        /// A connection with no traffic and no allocation for this long is closed.
        public var idleTimeout: Duration
        /// Open TCP plus TLS connections at most; further accepts are closed at once.
        public var maxConnections: Int

        public init(idleTimeout: Duration, maxConnections: Int) {
            self.idleTimeout = idleTimeout
            self.maxConnections = maxConnections
        }
    }
}
