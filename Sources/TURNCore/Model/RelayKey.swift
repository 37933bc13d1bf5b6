import STUNWire

/// A relay port of one family: unique per core, since each family has one relay address.
struct RelayKey: Hashable, Sendable {
    var family: AddressFamily
    var port: UInt16
}
