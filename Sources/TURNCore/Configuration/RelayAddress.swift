import STUNWire

/// The relay address of one family: bound locally, advertised to clients (RFC 8656 §7.2 leaves
/// the choice of relayed transport address to the server).
public struct RelayAddress: Hashable, Sendable {
    public var local: IPAddress
    public var advertised: IPAddress

    /// `advertised` defaults to `local` (no NAT in front of the server).
    public init(local: IPAddress, advertised: IPAddress? = nil) {
        self.local = local
        self.advertised = advertised ?? local
    }
}
