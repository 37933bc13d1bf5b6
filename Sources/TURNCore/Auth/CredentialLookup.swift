/// What `CredentialStore.keys(for:algorithm:now:)` found for a USERNAME.
public enum CredentialLookup: Hashable, Sendable {
    /// Candidate keys to try in turn against the integrity attribute (several while shared
    /// secrets rotate). `user` is the quota identity; `expiry` the shared-secret credential's
    /// Unix expiry, which also caps an allocation's lifetime.
    case keys([[UInt8]], user: String, expiry: UInt64?)
    /// Neither a static user nor a well-formed shared-secret username.
    case unknownUser
    /// A shared-secret username whose expiry has passed.
    case expired
    /// A shared-secret username whose expiry is further ahead than the store's
    /// `maximumCredentialLifetime` (a timestamp in milliseconds, or a credential minted never
    /// to expire).
    case expiryTooFar
    /// The user exists but has no key for the requested password algorithm.
    case algorithmUnavailable
}
