/// A relay port held for a later Allocate carrying RESERVATION-TOKEN (RFC 8656 §7.2, §18.10).
struct Reservation: Sendable {
    var relayed: RelayedTransportAddress
    var expiry: Instant
}
