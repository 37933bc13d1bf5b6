/// What `NonceIssuer.validate` found.
public enum NonceStatus: Hashable, Sendable {
    /// Issued by a server holding the key, to this client address, within its lifetime; with the
    /// security features its cookie advertised (authenticated by the MAC).
    case valid(SecurityFeatures)
    /// Genuine but too old, or dated too far in the future: answer 438 with a fresh nonce
    /// (RFC 8489 §9.2.4).
    case stale
    /// Forged, altered, malformed, or issued to another client address.
    case invalid
}
