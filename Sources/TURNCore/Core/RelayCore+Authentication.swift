import STUNWire

extension RelayCore {
    /// Long-term credential checks of RFC 8489 §9.2.4. Returns nil after queueing (or, over the
    /// reply budget, withholding) the error reply, or after dropping a request the failure
    /// budgets do not let through. Nothing is stored per source: failures go to fixed tables.
    ///
    /// One deliberate reordering: a stale or foreign nonce is answered with 438 before the
    /// credential lookup and integrity check the RFC lists first. The reply is the same
    /// challenge a request without credentials gets, so nothing is revealed, and a flood of
    /// old nonces costs no key derivation.
    mutating func authenticate(_ decoded: DecodedMessage, from fiveTuple: FiveTuple, now: Now) -> AuthenticatedRequest? {
        let message = decoded.message
        // §9.2.4: no integrity attribute → 401 with REALM and NONCE.
        guard decoded.hasMessageIntegrity || decoded.hasMessageIntegritySHA256 else {
            replyUnauthenticated(message, from: fiveTuple, code: .unauthenticated, challenge: true, reason: .missingIntegrity, now: now)
            return nil
        }
        // §9.2.4: integrity without USERNAME or USERHASH, REALM and NONCE → 400.
        guard message.username != nil || message.userhash != nil, let realm = message.realm, let nonce = message.nonce else {
            replyUnauthenticated(message, from: fiveTuple, code: .badRequest, challenge: false, reason: .missingAttributes, now: now)
            return nil
        }
        // §9.2.4: a nonce that is no longer valid → 438 with a fresh one.
        let features: SecurityFeatures
        switch configuration.nonceIssuer.validate(nonce, for: fiveTuple.client, now: now) {
        case .valid(let advertised):
            features = advertised
        case .stale:
            replyUnauthenticated(message, from: fiveTuple, code: .staleNonce, challenge: true, reason: .staleNonce, now: now)
            return nil
        case .invalid:
            replyUnauthenticated(message, from: fiveTuple, code: .staleNonce, challenge: true, reason: .invalidNonce, now: now)
            return nil
        }
        // §9.2.4 bid-down protection: with the "Password algorithms" bit in the nonce cookie,
        // either neither attribute (MD5) or both, PASSWORD-ALGORITHMS exactly as we sent it and
        // PASSWORD-ALGORITHM one of them; anything else → 400.
        var algorithm = PasswordAlgorithm.md5
        if features.contains(.passwordAlgorithms) {
            let offered = message.passwordAlgorithms
            let chosen = message.passwordAlgorithm
            if offered != nil || chosen != nil {
                guard let offered, let chosen, offered == configuration.passwordAlgorithms, offered.contains(chosen) else {
                    replyUnauthenticated(message, from: fiveTuple, code: .badRequest, challenge: false, reason: .bidDown, now: now)
                    return nil
                }
                algorithm = chosen
            }
        }
        guard realm == configuration.realm else {
            replyUnauthenticated(message, from: fiveTuple, code: .unauthenticated, challenge: true, reason: .wrongRealm, now: now)
            return nil
        }
        // §9.2.4: USERHASH names the user through its hash (§14.4).
        let username = message.username ?? message.userhash.flatMap { configuration.credentials.username(forUserhash: $0) }
        // Password guessing: past its failure budget a source, or a username from a source that
        // has failed too, is not evaluated at all (`RelayCore+AuthFailures`).
        if let limit = authFailureLimit(username: username, from: fiveTuple, now: now) {
            drop(limit)
            return nil
        }
        guard let username else {
            recordAuthFailure(username: nil, from: fiveTuple, now: now)
            replyUnauthenticated(message, from: fiveTuple, code: .unauthenticated, challenge: true, reason: .unknownUser, now: now)
            return nil
        }
        // §9.2.4: an unknown user, an expired credential and a wrong key all get the same 401.
        let failure: AuthFailureReason
        switch configuration.credentials.keys(for: username, algorithm: algorithm, now: now) {
        case .keys(let keys, let user, let expiry):
            if let (protection, index) = verify(decoded, keys: keys) {
                let origin: CredentialOrigin = expiry == nil
                    ? .staticUser : .sharedSecret(configuration.credentials.sharedSecrets[index])
                return AuthenticatedRequest(
                    username: username, user: user, origin: origin, credentialExpiry: expiry, protection: protection)
            }
            failure = .integrityMismatch
        case .unknownUser:
            failure = .unknownUser
        case .expired:
            failure = .expiredCredential
        case .expiryTooFar:
            failure = .expiryTooFar
        case .algorithmUnavailable:
            failure = .algorithmUnavailable
        }
        // Only a wrong username or key is a guess; nothing was tried for the others.
        if failure == .integrityMismatch || failure == .unknownUser {
            recordAuthFailure(username: username, from: fiveTuple, now: now)
        }
        replyUnauthenticated(message, from: fiveTuple, code: .unauthenticated, challenge: true, reason: failure, now: now)
        return nil
    }

    /// RFC 8489 §9.2.4: MESSAGE-INTEGRITY-SHA256 is checked when present, MESSAGE-INTEGRITY
    /// otherwise; the response uses the same attribute, key and truncation. Every candidate key
    /// (shared secrets in rotation) is tried; each comparison is constant-time in the codec.
    /// Returns the protection and the index of the key that verified.
    private func verify(_ decoded: DecodedMessage, keys: [[UInt8]]) -> (ResponseProtection, Int)? {
        let fingerprint = decoded.message.contains(.fingerprint)
        for (index, key) in keys.enumerated() {
            if decoded.hasMessageIntegritySHA256 {
                if (try? decoded.verifyMessageIntegritySHA256(key: key)) != nil {
                    let length = decoded.messageIntegritySHA256Length ?? HMACSHA256.byteCount
                    return (ResponseProtection(integrity: .sha256(key: key, length: length), fingerprint: fingerprint), index)
                }
            } else if (try? decoded.verifyMessageIntegrity(key: key)) != nil {
                return (ResponseProtection(integrity: .sha1(key: key), fingerprint: fingerprint), index)
            }
        }
        return nil
    }
}
