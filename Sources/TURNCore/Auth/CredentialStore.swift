import STUNWire

/// The long-term credentials this server accepts (RFC 8489 §9.2): static users, whose keys are
/// derived once at init, and shared-secret usernames (`SharedSecretUsername`), checked against
/// every configured secret so secrets can rotate without a flag day.
public struct CredentialStore: Sendable {
    public let realm: String
    /// Static users' keys by username UTF-8 bytes (exact bytes, as USERNAME carries them; Swift
    /// string equality would match canonically equivalent names whose keys differ).
    private let staticKeys: [[UInt8]: StaticKeys]
    /// RFC 8489 §14.4: SHA-256(SASLprep(username) ":" SASLprep(realm)) of each static user.
    private let userhashes: [[UInt8]: String]
    /// In configuration order: the candidate keys of a shared-secret username follow it.
    let sharedSecrets: [[UInt8]]
    /// Static users' names, for the per-username failure budgets (`UsernameFailureBudgets`).
    public let staticUsernames: [String]
    /// A shared-secret username expiring further ahead than this is refused (`expiryTooFar`).
    public let maximumCredentialLifetime: Duration

    private struct StaticKeys: Sendable {
        var md5: [UInt8]?
        var sha256: [UInt8]?
    }

    static let md5KeyLength = 16
    static let sha256KeyLength = 32
    /// Two days: WebRTC backends mint shared-secret credentials for hours up to a day (coturn's
    /// REST API examples use 24 h), and the margin covers a backend clock running ahead. An
    /// expiry in milliseconds, or a "never" of year 2100, is decades ahead and refused.
    public static let defaultMaximumCredentialLifetime: Duration = .seconds(2 * 24 * 3600)

    /// Derives every static key and userhash now. Throws if the realm, a username or a password
    /// is rejected by SASLprep (RFC 8265 OpaqueString, as RFC 8489 §9.2.2 requires), if a
    /// precomputed key has the wrong length for its algorithm, if two usernames prepare to the
    /// same USERHASH, or if a shared secret is empty.
    public init(
        realm: String, users: [String: UserSecret] = [:], sharedSecrets: [[UInt8]] = [],
        maximumCredentialLifetime: Duration = CredentialStore.defaultMaximumCredentialLifetime
    ) throws(WireError) {
        _ = try SASLprep.prepare(realm)
        var keys: [[UInt8]: StaticKeys] = [:]
        var hashes: [[UInt8]: String] = [:]
        for (username, secret) in users {
            switch secret {
            case .password(let password):
                keys[Array(username.utf8)] = StaticKeys(
                    md5: try LongTermCredentials.key(username: username, realm: realm, password: password, algorithm: .md5),
                    sha256: try LongTermCredentials.key(username: username, realm: realm, password: password, algorithm: .sha256))
            case .md5Key(let key):
                guard key.count == Self.md5KeyLength else {
                    throw WireError(.invalidAttributeValue, "MD5 key of \(username) is \(key.count) bytes, not 16")
                }
                keys[Array(username.utf8)] = StaticKeys(md5: key, sha256: nil)
            case .sha256Key(let key):
                guard key.count == Self.sha256KeyLength else {
                    throw WireError(.invalidAttributeValue, "SHA-256 key of \(username) is \(key.count) bytes, not 32")
                }
                keys[Array(username.utf8)] = StaticKeys(md5: nil, sha256: key)
            }
            let userhash = try LongTermCredentials.userhash(username: username, realm: realm)
            // Names that SASLprep maps to the same string would make USERHASH ambiguous.
            if let other = hashes[userhash] {
                throw WireError(.invalidAttributeValue, "users \(other) and \(username) have the same USERHASH")
            }
            hashes[userhash] = username
        }
        for secret in sharedSecrets where secret.isEmpty {
            throw WireError(.invalidAttributeValue, "an empty shared secret would let anyone mint credentials")
        }
        self.realm = realm
        staticKeys = keys
        userhashes = hashes
        self.sharedSecrets = sharedSecrets
        staticUsernames = users.keys.sorted()
        self.maximumCredentialLifetime = maximumCredentialLifetime
    }

    /// The keys to check a request's integrity with (RFC 8489 §9.2.4). A static user is looked up
    /// first, even if the name looks like a shared-secret username.
    public func keys(for username: String, algorithm: PasswordAlgorithm, now: Now) -> CredentialLookup {
        if let keys = staticKeys[Array(username.utf8)] {
            let key: [UInt8]? = switch algorithm.number {
            case PasswordAlgorithm.md5.number: keys.md5
            case PasswordAlgorithm.sha256.number: keys.sha256
            default: nil
            }
            guard let key else { return .algorithmUnavailable }
            return .keys([key], user: username, expiry: nil)
        }
        guard !sharedSecrets.isEmpty, let parsed = SharedSecretUsername(username) else { return .unknownUser }
        guard algorithm.number == PasswordAlgorithm.md5.number || algorithm.number == PasswordAlgorithm.sha256.number else {
            return .algorithmUnavailable
        }
        if now.unixSeconds > parsed.expiry { return .expired }
        let (latest, overflow) = now.unixSeconds.addingReportingOverflow(UInt64(clamping: maximumCredentialLifetime.components.seconds))
        if !overflow, parsed.expiry > latest { return .expiryTooFar }
        var candidates: [[UInt8]] = []
        candidates.reserveCapacity(sharedSecrets.count)
        for secret in sharedSecrets {
            let password = SharedSecretUsername.password(username: username, secret: secret)
            // The realm passed SASLprep at init and the password is base64 ASCII, so only an
            // unknown algorithm could fail here, and that was answered above.
            guard let key = try? LongTermCredentials.key(username: username, realm: realm, password: password, algorithm: algorithm) else {
                return .algorithmUnavailable
            }
            candidates.append(key)
        }
        return .keys(candidates, user: parsed.user, expiry: parsed.expiry)
    }

    /// Whether the credential that authenticated `username` is still configured (a reload may
    /// remove it): the static user still exists, or the shared secret is still one of ours. A
    /// changed password or realm is not a removal: the client's next request re-authenticates.
    func stillAccepts(_ origin: CredentialOrigin, username: String) -> Bool {
        switch origin {
        case .staticUser: staticKeys[Array(username.utf8)] != nil
        case .sharedSecret(let secret): sharedSecrets.contains(secret)
        }
    }

    /// The static user whose USERHASH (RFC 8489 §14.4) this is; nil for anything else.
    /// Shared-secret usernames cannot be recovered from a hash.
    public func username(forUserhash userhash: [UInt8]) -> String? {
        userhashes[userhash]
    }
}
