import STUNWire

extension ServerConfiguration {
    /// The Prometheus and health endpoint.
    public struct HTTP: Hashable, Sendable {
        /// Nil when disabled (`http.address: off`).
        public var address: TransportAddress?

        public init(address: TransportAddress?) {
            self.address = address
        }
    }
}
