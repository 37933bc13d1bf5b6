import STUNWire

extension ServerConfiguration {
    /// Graceful drain on SIGTERM: how long existing allocations may live on, and where new
    /// Allocates are sent (RFC 8489 §14.15 ALTERNATE-SERVER with a 300 response).
    public struct Drain: Hashable, Sendable {
        public var deadline: Duration
        public var alternateServer: TransportAddress?

        public init(deadline: Duration, alternateServer: TransportAddress?) {
            self.deadline = deadline
            self.alternateServer = alternateServer
        }
    }
}
