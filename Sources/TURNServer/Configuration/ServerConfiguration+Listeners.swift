import STUNWire

extension ServerConfiguration {
    /// Client-facing sockets: where clients reach the server, per transport.
    public struct Listeners: Hashable, Sendable {
        public var udp: [TransportAddress]
        public var tcp: [TransportAddress]
        public var tls: [TransportAddress]

        public init(udp: [TransportAddress], tcp: [TransportAddress], tls: [TransportAddress]) {
            self.udp = udp
            self.tcp = tcp
            self.tls = tls
        }

        public var all: [TransportAddress] { udp + tcp + tls }
    }
}
