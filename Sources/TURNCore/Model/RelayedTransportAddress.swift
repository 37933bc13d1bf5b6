import STUNWire

/// One relayed transport address of an allocation (RFC 8656 §2): the address the shell binds
/// (`local`) and the one clients and peers see (`advertised`, e.g. the public IP in front of a
/// cloud VM's private one). Both share the port.
public struct RelayedTransportAddress: Hashable, Sendable {
    public var local: TransportAddress
    public var advertised: TransportAddress

    public init(local: TransportAddress, advertised: TransportAddress) {
        self.local = local
        self.advertised = advertised
    }

    public var family: AddressFamily { local.family }
    var key: RelayKey { RelayKey(family: local.family, port: local.port) }
}
