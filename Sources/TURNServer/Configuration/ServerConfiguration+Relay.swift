import STUNWire
import TURNCore

extension ServerConfiguration {
    /// Where relay sockets bind, what address clients are told (RFC 8656 §7.3 XOR-RELAYED-ADDRESS),
    /// and which ports relay sockets use. Listen, relay and advertised addresses are separate
    /// because cloud VMs sit behind 1:1 NAT: the socket binds a private address while clients
    /// and peers must use the public one.
    public struct Relay: Hashable, Sendable {
        public var ipv4: IPv4Address?
        public var ipv6: IPv6Address?
        public var advertisedIPv4: IPv4Address?
        public var advertisedIPv6: IPv6Address?
        public var ports: ClosedRange<UInt16>

        public init(
            ipv4: IPv4Address?,
            ipv6: IPv6Address?,
            advertisedIPv4: IPv4Address? = nil,
            advertisedIPv6: IPv6Address? = nil,
            ports: ClosedRange<UInt16> = PeerPolicy.defaultRelayPorts
        ) {
            self.ipv4 = ipv4
            self.ipv6 = ipv6
            self.advertisedIPv4 = advertisedIPv4
            self.advertisedIPv6 = advertisedIPv6
            self.ports = ports
        }

        /// The address a relayed transport address of `family` carries on the wire.
        public func publicAddress(for family: AddressFamily) -> IPAddress? {
            switch family {
            case .ipv4: (advertisedIPv4 ?? ipv4).map(IPAddress.v4)
            case .ipv6: (advertisedIPv6 ?? ipv6).map(IPAddress.v6)
            }
        }
    }
}
