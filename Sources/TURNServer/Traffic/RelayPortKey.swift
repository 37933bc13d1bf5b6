import STUNWire

/// A relay port of one family. Relayed transport addresses are unique by family and port on a
/// server, and the local and advertised address of one share both, so this names a relay
/// socket whichever of the two addresses a caller has.
struct RelayPortKey: Hashable, Sendable {
    var family: AddressFamily
    var port: UInt16

    init(_ address: TransportAddress) {
        family = address.family
        port = address.port
    }
}
