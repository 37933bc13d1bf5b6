import STUNWire

/// An accepted Allocate waiting for the shell to bind its relay port(s) (RFC 8656 §7.2: the
/// response is sent once the relayed transport address exists).
struct PendingAllocation: Sendable {
    var fiveTuple: FiveTuple
    var transactionID: TransactionID
    var protection: ResponseProtection
    var username: String
    var user: String
    var origin: CredentialOrigin
    /// Shared-secret credential expiry (Unix seconds), which caps every lifetime.
    var credentialExpiry: UInt64?
    var requestedLifetime: UInt32?
    var families: [AddressFamily]
    /// ADDRESS-ERROR-CODE for an ADDITIONAL-ADDRESS-FAMILY the server could not give (RFC 8656 §7.2).
    var addressError: (AddressFamily, ErrorCode)?
    var evenPort: Bool
    var reserveNext: Bool
    var dontFragment: Bool
    var attempts: Int
    /// The ports asked of the shell in the current attempt (the last one is the reservation
    /// when `reserveNext`).
    var requested: [RelayedTransportAddress]
    /// The client's connection closed meanwhile (or a reload revoked its credential): close
    /// whatever opens, answer nothing.
    var abandoned = false

    /// Units of the allocation quota it holds (RFC 8656 §7.2): the allocation's, and with
    /// EVEN-PORT's R bit the reserved port's.
    var quotaUnits: Int { reserveNext ? 2 : 1 }
}
