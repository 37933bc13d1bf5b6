/// A relay port held for a later Allocate carrying RESERVATION-TOKEN (RFC 8656 §7.2, §18.10).
/// It holds a unit of `user`'s allocation quota until it is used or expires.
struct Reservation: Sendable {
    var relayed: RelayedTransportAddress
    var expiry: Instant
    /// Who asked for it (EVEN-PORT with the R bit), and whose quota it counts against.
    var user: String
}
