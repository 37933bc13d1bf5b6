import STUNWire

/// A change to turnpike_egress_routes decided by `EgressTable`.
public enum EgressChange: Hashable, Sendable {
    case write(IPAddress, XDPEgress)
    case remove(IPAddress)
}
