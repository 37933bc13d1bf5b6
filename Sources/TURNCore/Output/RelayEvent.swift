import STUNWire

/// Facts for metrics and logs. Labels derived from them must stay bounded: use the enums, not
/// the addresses or usernames, as metric labels.
public enum RelayEvent: Hashable, Sendable {
    case allocationCreated(AllocationID, fiveTuple: FiveTuple, user: String, relayed: [TransportAddress])
    case allocationDeleted(AllocationID, reason: AllocationEndReason)
    /// A request was answered; `errorCode` is nil for a success response.
    case requestAnswered(method: Method, errorCode: UInt16?)
    case authenticationFailed(AuthFailureReason)
}

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
}

/// Why a request did not authenticate (RFC 8489 §9.2.4). The client learns less than this:
/// unknown user, expired credential and wrong key all look alike to it.
public enum AuthFailureReason: String, Hashable, Sendable, CaseIterable {
    case missingIntegrity = "missing_integrity"
    case missingAttributes = "missing_attributes"
    case staleNonce = "stale_nonce"
    case invalidNonce = "invalid_nonce"
    case bidDown = "bid_down"
    case wrongRealm = "wrong_realm"
    case unknownUser = "unknown_user"
    case expiredCredential = "expired_credential"
    case algorithmUnavailable = "algorithm_unavailable"
    case integrityMismatch = "integrity_mismatch"
    /// A request on an allocation's 5-tuple with another username (RFC 8656 §5: 441).
    case wrongCredentials = "wrong_credentials"
}
