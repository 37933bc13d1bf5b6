/// Why an allocation ended.
public enum AllocationEndReason: String, Hashable, Sendable, CaseIterable {
    /// Its lifetime ran out (RFC 8656 §7).
    case expired
    /// The client sent a Refresh with LIFETIME 0 (RFC 8656 §8).
    case refreshedToZero = "refreshed_to_zero"
    /// The operator deleted it.
    case administrative
    /// The TCP or TLS connection it was made on closed (RFC 8656 §3.1, §7).
    case connectionClosed = "connection_closed"
    /// A reload removed the credential it was made with: its static user, or the shared secret
    /// that verified its username.
    case credentialsRevoked = "credentials_revoked"
}
