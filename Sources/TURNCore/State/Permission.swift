/// A permission for one peer IP address (RFC 8656 §9): ports are ignored.
struct Permission: Sendable {
    var expiry: Instant
    /// The deadline of this permission's entry in the timer heap.
    var timerDeadline: Instant

    func isActive(at now: Instant) -> Bool { now < expiry }
}
