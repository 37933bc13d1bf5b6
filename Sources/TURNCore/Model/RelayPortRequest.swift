import STUNWire

/// Identifies one request to open relay ports, so the shell's answer finds its Allocate.
public struct RelayPortRequestID: Hashable, Sendable {
    public var rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }
}

/// Local UDP addresses the shell must bind, all or none, then report with `relayOpened` or
/// `relayOpenFailed`. Two addresses for a dual allocation (one per family) or for EVEN-PORT with
/// the R bit (the port and the next one, which is held for a RESERVATION-TOKEN).
public struct RelayPortRequest: Hashable, Sendable {
    public var id: RelayPortRequestID
    public var addresses: [TransportAddress]
    /// RFC 8656 §7.2: DONT-FRAGMENT asks for the DF bit on packets sent from these ports.
    public var dontFragment: Bool

    public init(id: RelayPortRequestID, addresses: [TransportAddress], dontFragment: Bool) {
        self.id = id
        self.addresses = addresses
        self.dontFragment = dontFragment
    }
}
