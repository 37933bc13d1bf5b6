/// How a static user's long-term credential is configured (RFC 8489 §9.2.2).
public enum UserSecret: Hashable, Sendable {
    /// The password itself: keys for MD5 and SHA-256 are both derived from it.
    case password(String)
    /// A precomputed MD5(username:realm:password), 16 bytes: MD5 only.
    case md5Key([UInt8])
    /// A precomputed SHA-256(username:realm:password), 32 bytes: SHA-256 only.
    case sha256Key([UInt8])
}
