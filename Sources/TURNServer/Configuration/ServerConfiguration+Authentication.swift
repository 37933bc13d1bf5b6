import TURNCore

extension ServerConfiguration {
    /// Long-term credentials (RFC 8489 §9.2) and the nonce key (RFC 8489 §9.2.2 NONCE).
    public struct Authentication: Hashable, Sendable {
        public var realm: String
        public var users: [String: UserSecret]
        /// Shared secrets for the time-limited username scheme, newest first; all are accepted
        /// so a secret can be rotated without a flag day.
        public var sharedSecrets: [String]
        public var nonceKey: [UInt8]
        public var nonceKeyOrigin: NonceKeyOrigin
        public var nonceLifetime: Duration
        /// A shared-secret username expiring further ahead than this is refused (401).
        public var maxCredentialLifetime: Duration

        public init(
            realm: String,
            users: [String: UserSecret],
            sharedSecrets: [String],
            nonceKey: [UInt8],
            nonceKeyOrigin: NonceKeyOrigin,
            nonceLifetime: Duration,
            maxCredentialLifetime: Duration = Defaults.maxCredentialLifetime
        ) {
            self.realm = realm
            self.users = users
            self.sharedSecrets = sharedSecrets
            self.nonceKey = nonceKey
            self.nonceKeyOrigin = nonceKeyOrigin
            self.nonceLifetime = nonceLifetime
            self.maxCredentialLifetime = maxCredentialLifetime
        }
    }

    /// Whether the nonce key came from the configuration or was generated at start-up. A fleet
    /// behind one name must share a configured key, or a client's nonce from one server is
    /// stale (438) at the next.
    public enum NonceKeyOrigin: Hashable, Sendable {
        case configured
        case generated
    }
}
