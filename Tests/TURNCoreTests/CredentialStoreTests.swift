import STUNWire
import Testing
@testable import TURNCore

private func hex(_ text: String) -> [UInt8] {
    let digits = Array(text.utf8)
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0...$0 + 1], as: UTF8.self), radix: 16)! }
}

/// Vectors computed independently with python3 hmac, hashlib and base64 (realm "example.org").
@Suite struct CredentialStoreTests {
    let north = Array("north-secret".utf8)
    let south = Array("south-secret".utf8)
    let alice = "1700003600:alice"
    let beforeExpiry = Now(monotonic: .seconds(1), unixSeconds: 1_700_003_600)
    let afterExpiry = Now(monotonic: .seconds(1), unixSeconds: 1_700_003_601)

    @Test func staticPasswordUserHasBothAlgorithms() throws {
        let store = try CredentialStore(realm: "example.org", users: ["bob": .password("hunter2")])
        #expect(store.realm == "example.org")
        #expect(store.keys(for: "bob", algorithm: .md5, now: beforeExpiry)
            == .keys([hex("ef57bc8d8c15ddbbe601ea638397ef72")], user: "bob", expiry: nil))
        #expect(store.keys(for: "bob", algorithm: .sha256, now: beforeExpiry)
            == .keys([hex("578469f25949bd59dc92bb7dd90e8bf5dff569914af35ee4214bdf9706fe9796")], user: "bob", expiry: nil))
        #expect(store.keys(for: "bob", algorithm: PasswordAlgorithm(number: 3), now: beforeExpiry) == .algorithmUnavailable)
        #expect(store.keys(for: "Bob", algorithm: .md5, now: beforeExpiry) == .unknownUser)
    }

    @Test func precomputedKeysServeOneAlgorithmEach() throws {
        let md5 = hex("ef57bc8d8c15ddbbe601ea638397ef72")
        let sha = hex("578469f25949bd59dc92bb7dd90e8bf5dff569914af35ee4214bdf9706fe9796")
        let store = try CredentialStore(realm: "example.org", users: ["old": .md5Key(md5), "new": .sha256Key(sha)])
        #expect(store.keys(for: "old", algorithm: .md5, now: beforeExpiry) == .keys([md5], user: "old", expiry: nil))
        #expect(store.keys(for: "old", algorithm: .sha256, now: beforeExpiry) == .algorithmUnavailable)
        #expect(store.keys(for: "new", algorithm: .sha256, now: beforeExpiry) == .keys([sha], user: "new", expiry: nil))
        #expect(store.keys(for: "new", algorithm: .md5, now: beforeExpiry) == .algorithmUnavailable)
    }

    @Test func precomputedKeysMustHaveTheirAlgorithmsLength() {
        #expect(throws: WireError(.invalidAttributeValue)) {
            try CredentialStore(realm: "example.org", users: ["x": .md5Key(Array(repeating: 1, count: 32))])
        }
        #expect(throws: WireError(.invalidAttributeValue)) {
            try CredentialStore(realm: "example.org", users: ["x": .sha256Key(Array(repeating: 1, count: 16))])
        }
    }

    @Test func saslPrepFailuresThrow() {
        // U+0007 is a prohibited control character (RFC 4013 §2.3, RFC 3454 C.2.1).
        #expect(throws: WireError(.prohibitedCharacter)) {
            try CredentialStore(realm: "bad\u{07}realm")
        }
        #expect(throws: WireError(.prohibitedCharacter)) {
            try CredentialStore(realm: "example.org", users: ["bob": .password("pass\u{07}word")])
        }
        #expect(throws: WireError(.prohibitedCharacter)) {
            try CredentialStore(realm: "example.org", users: ["b\u{07}ob": .password("hunter2")])
        }
    }

    @Test func emptySharedSecretIsRefused() {
        #expect(throws: WireError(.invalidAttributeValue)) {
            try CredentialStore(realm: "example.org", sharedSecrets: [[]])
        }
    }

    @Test func sharedSecretUsernameGetsOneKeyPerSecret() throws {
        let store = try CredentialStore(realm: "example.org", sharedSecrets: [north, south])
        #expect(store.keys(for: alice, algorithm: .md5, now: beforeExpiry) == .keys(
            [hex("9b35a4edb5f57f881d1806fbe0c8e333"), hex("288d8dbabded4c31878eeb15a5878cf2")],
            user: "alice", expiry: 1_700_003_600))
        #expect(store.keys(for: alice, algorithm: .sha256, now: beforeExpiry) == .keys(
            [hex("6384b01e51402a45437f03ec1238b2f0d73ec92b1e481a1d13a2c96c1b419c62"),
             hex("4813016ec1a3c438c10cae14ae46aff597c44ef9ff821666e6534f936c5c0fd7")],
            user: "alice", expiry: 1_700_003_600))
    }

    @Test func sharedSecretPasswordIsBase64OfHMACSHA1() {
        #expect(SharedSecretUsername.password(username: alice, secret: north) == "Ji4axghh2/aljHmsPgH9mtDGVLw=")
        #expect(SharedSecretUsername.password(username: alice, secret: south) == "1o9S7M69AhkgwLi/IV8H7jMOpiw=")
    }

    @Test func expiryIsCheckedAgainstTheWallClock() throws {
        let store = try CredentialStore(realm: "example.org", sharedSecrets: [north])
        #expect(store.keys(for: alice, algorithm: .sha256, now: afterExpiry) == .expired)
        #expect(store.keys(for: alice, algorithm: .md5, now: Now(monotonic: .seconds(1), unixSeconds: .max)) == .expired)
        // The monotonic clock plays no part.
        let early = Now(monotonic: Instant(nanoseconds: .max), unixSeconds: 1_700_000_000)
        if case .keys(_, user: "alice", expiry: 1_700_003_600) = store.keys(for: alice, algorithm: .md5, now: early) {} else {
            Issue.record("expected keys before expiry")
        }
    }

    @Test func anExpiryTooFarAheadIsRefused() throws {
        let store = try CredentialStore(realm: "example.org", sharedSecrets: [north], maximumCredentialLifetime: .seconds(3600))
        // Exactly the maximum ahead is accepted, one second more is not.
        let atLimit = Now(monotonic: .seconds(1), unixSeconds: 1_700_000_000)
        if case .keys = store.keys(for: alice, algorithm: .md5, now: atLimit) {} else { Issue.record("expected keys at the limit") }
        let beyond = Now(monotonic: .seconds(1), unixSeconds: 1_699_999_999)
        #expect(store.keys(for: alice, algorithm: .md5, now: beyond) == .expiryTooFar)
        // A millisecond timestamp, and the largest expiry, are decades ahead.
        #expect(store.keys(for: "1700003600000:alice", algorithm: .sha256, now: atLimit) == .expiryTooFar)
        #expect(store.keys(for: "18446744073709551615:alice", algorithm: .sha256, now: atLimit) == .expiryTooFar)
        // The default is two days.
        #expect(try CredentialStore(realm: "example.org").maximumCredentialLifetime == .seconds(172_800))
    }

    @Test func quotaIdentityIsEverythingAfterTheFirstColon() throws {
        let store = try CredentialStore(realm: "example.org", sharedSecrets: [north])
        #expect(store.keys(for: "1700003600:carol:x", algorithm: .sha256, now: beforeExpiry) == .keys(
            [hex("dadd30c6cb46a4e473fe852146c9267e920daca4d1265c5760ceadc8eabd07fe")], user: "carol:x", expiry: 1_700_003_600))
        #expect(store.keys(for: "1700003600:", algorithm: .sha256, now: beforeExpiry) == .keys(
            [hex("8c9b4a74ca4ec5305020a105f2574c510da7ef806f80416b3757b19a6331c5b9")], user: "", expiry: 1_700_003_600))
    }

    @Test(arguments: [
        "alice", "", ":alice", "17000036OO:alice", "+1700003600:alice", " 1700003600:alice", "1700003600 :alice",
        "0x1700003600:alice", "18446744073709551616:alice", "000000000000000000001:alice", "١٧٠٠٠٠٣٦٠٠:alice",
    ])
    func malformedSharedSecretUsernameIsUnknown(_ username: String) throws {
        let store = try CredentialStore(realm: "example.org", sharedSecrets: [north])
        #expect(store.keys(for: username, algorithm: .sha256, now: beforeExpiry) == .unknownUser)
        #expect(SharedSecretUsername(username) == nil)
    }

    @Test func largestExpiryParses() {
        #expect(SharedSecretUsername("18446744073709551615:x")?.expiry == .max)
        #expect(SharedSecretUsername("0:x")?.expiry == 0)
    }

    @Test func withoutSharedSecretsEveryOtherNameIsUnknown() throws {
        let store = try CredentialStore(realm: "example.org", users: ["bob": .password("hunter2")])
        #expect(store.keys(for: alice, algorithm: .sha256, now: beforeExpiry) == .unknownUser)
    }

    @Test func unknownAlgorithmForSharedSecretIsUnavailable() throws {
        let store = try CredentialStore(realm: "example.org", sharedSecrets: [north])
        #expect(store.keys(for: alice, algorithm: PasswordAlgorithm(number: 9), now: beforeExpiry) == .algorithmUnavailable)
    }

    @Test func staticUserShadowsASharedSecretLookalike() throws {
        let store = try CredentialStore(realm: "example.org", users: [alice: .password("hunter2")], sharedSecrets: [north])
        let lookup = store.keys(for: alice, algorithm: .sha256, now: afterExpiry)
        let expected = try LongTermCredentials.key(username: alice, realm: "example.org", password: "hunter2", algorithm: .sha256)
        #expect(lookup == .keys([expected], user: alice, expiry: nil))
    }

    @Test func userhashFindsStaticUsers() throws {
        let store = try CredentialStore(
            realm: "example.org", users: ["bob": .password("hunter2"), "\u{30DE}\u{30C8}\u{30EA}\u{30C3}\u{30AF}\u{30B9}": .password("TheMatrIX")],
            sharedSecrets: [north])
        #expect(store.username(forUserhash: hex("4195b8e0695a819d0bce093baa24c78483bfa7a4c61a7dee65f63b5aa100bea6")) == "bob")
        // RFC 8489 Appendix B.1's USERHASH.
        #expect(store.username(forUserhash: hex("4a3cf38fef6992bda952c6780417da0f24819415569e60b205c46e41407f1704"))
            == "\u{30DE}\u{30C8}\u{30EA}\u{30C3}\u{30AF}\u{30B9}")
        #expect(store.username(forUserhash: Array(repeating: 0, count: 32)) == nil)
        #expect(store.username(forUserhash: []) == nil)
    }

    @Test func namesWithTheSameUserhashAreRefused() {
        // SASLprep maps U+00AD SOFT HYPHEN to nothing (RFC 4013 §2.2), so both hash as "bob".
        #expect(throws: WireError(.invalidAttributeValue)) {
            try CredentialStore(realm: "example.org", users: ["bob": .password("a"), "b\u{AD}ob": .password("b")])
        }
    }

    @Test func usernamesAreMatchedByExactBytes() throws {
        // "é" precomposed (U+00E9) and decomposed (e U+0301) are equal Swift strings, but the key
        // is derived from the bytes USERNAME carries, so only the configured bytes match.
        let store = try CredentialStore(realm: "example.org", users: ["caf\u{E9}": .password("x")])
        #expect(store.keys(for: "cafe\u{301}", algorithm: .md5, now: beforeExpiry) == .unknownUser)
        if case .keys = store.keys(for: "caf\u{E9}", algorithm: .md5, now: beforeExpiry) {} else {
            Issue.record("expected the configured bytes to match")
        }
    }
}

/// `turnpike credentials issue` mints with this; the store must accept exactly what it mints.
@Suite struct MintTests {
    @Test func mintedCredentialIsAcceptedUntilItsExpiry() throws {
        let secret = Array("mint secret".utf8)
        let store = try CredentialStore(realm: "example.org", sharedSecrets: [secret])
        let minted = SharedSecretUsername.mint(user: "carol", expiry: 2_000, secret: secret)
        #expect(minted.username == "2000:carol")
        let parsed = try #require(SharedSecretUsername(minted.username))
        #expect(parsed.user == "carol")
        #expect(minted.password == SharedSecretUsername.password(username: minted.username, secret: secret))
        let expected = try LongTermCredentials.key(username: minted.username, realm: "example.org", password: minted.password, algorithm: .md5)
        let lookup = store.keys(for: minted.username, algorithm: .md5, now: Now(monotonic: .seconds(1), unixSeconds: 1_999))
        guard case .keys(let keys, let user, _) = lookup else {
            Issue.record("expected keys, got \(lookup)")
            return
        }
        #expect(keys == [expected])
        #expect(user == "carol")
        let late = store.keys(for: minted.username, algorithm: .md5, now: Now(monotonic: .seconds(1), unixSeconds: 2_001))
        #expect(late == .expired)
    }
}
