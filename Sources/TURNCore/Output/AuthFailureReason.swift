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
    /// A shared-secret username expiring further ahead than `auth.max-credential-lifetime`.
    case expiryTooFar = "expiry_too_far"
    case algorithmUnavailable = "algorithm_unavailable"
    case integrityMismatch = "integrity_mismatch"
    /// A request on an allocation's 5-tuple with another username (RFC 8656 §5: 441).
    case wrongCredentials = "wrong_credentials"
}
