import STUNWire
import Testing
@testable import TURNCore

@Suite struct NonceIssuerTests {
    let key = (0..<32).map(UInt8.init)
    let client = TransportAddress("192.0.2.1:32853")!
    let issuedAt: UInt64 = 1_700_000_000

    func at(_ unixSeconds: UInt64) -> Now {
        Now(monotonic: .seconds(5), unixSeconds: unixSeconds)
    }

    // Vectors computed independently with python3 hmac/hashlib/base64:
    // "obMatJos2" + b64(features, 3 bytes) + b64url(ts_be64 + HMAC-SHA256(key,
    //   "turnpike nonce v1" + features + ts_be64 + family + ip + port_be16)[:16]).
    @Test func issuesTheDocumentedFormat() {
        #expect(NonceIssuer(key: key).issue(for: client, now: at(issuedAt)) == "obMatJos2AAABAAAAAGVT8QCc5LFArHbGP2BZTIOMuvVD")
        #expect(NonceIssuer(key: key, supportsPasswordAlgorithms: false)
            .issue(for: TransportAddress("[2001:db8::1]:3478")!, now: at(issuedAt)) == "obMatJos2AAAAAAAAAGVT8QDakHj-NwZ6J_2o95eTlj04")
        #expect(NonceIssuer(key: key, lifetime: .seconds(600), features: [.passwordAlgorithms, .usernameAnonymity])
            .issue(for: client, now: at(issuedAt)) == "obMatJos2AAADAAAAAGVT8QC8Tl089phU3uEO3uEXaLTj")
    }

    @Test func cookieEncodesFeatureBitsLeastSignificantFirst() {
        // RFC 8489 errata 6290; Appendix B.1's nonce starts "obMatJos2AAAC" (username anonymity).
        let anonymity = NonceIssuer(key: key, lifetime: .seconds(60), features: .usernameAnonymity)
        #expect(anonymity.issue(for: client, now: at(issuedAt)).hasPrefix("obMatJos2AAAC"))
        #expect(NonceIssuer(key: key).issue(for: client, now: at(issuedAt)).hasPrefix("obMatJos2AAAB"))
        #expect(SecurityFeatures.passwordAlgorithms.rawValue == 1)
        #expect(SecurityFeatures.usernameAnonymity.rawValue == 2)
    }

    @Test func nonceIsShortAndOnlyQdtext() {
        let nonce = NonceIssuer(key: key).issue(for: TransportAddress("[2001:db8::ffff]:65535")!, now: at(.max))
        #expect(nonce.utf8.count == 45)
        // RFC 8489 §14.10: fewer than 128 characters (763 bytes); qdtext excludes '"' and '\'.
        #expect(nonce.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") })
    }

    @Test func validatesItsOwnNonceWithItsFeatures() {
        let issuer = NonceIssuer(key: key)
        let nonce = issuer.issue(for: client, now: at(issuedAt))
        #expect(issuer.validate(nonce, for: client, now: at(issuedAt)) == .valid(.passwordAlgorithms))
        let plain = NonceIssuer(key: key, supportsPasswordAlgorithms: false)
        #expect(plain.validate(plain.issue(for: client, now: at(issuedAt)), for: client, now: at(issuedAt)) == .valid([]))
    }

    @Test func fleetMembersSharingTheKeyAcceptEachOther() {
        let a = NonceIssuer(key: key)
        let b = NonceIssuer(key: key)
        let nonce = a.issue(for: client, now: at(issuedAt))
        // b's monotonic clock is unrelated; only the wall clock matters.
        #expect(b.validate(nonce, for: client, now: Now(monotonic: .seconds(999_999), unixSeconds: issuedAt + 10)) == .valid(.passwordAlgorithms))
    }

    @Test func staleAfterLifetime() {
        let issuer = NonceIssuer(key: key, lifetime: .seconds(600))
        let nonce = issuer.issue(for: client, now: at(issuedAt))
        #expect(issuer.validate(nonce, for: client, now: at(issuedAt + 600)) == .valid(.passwordAlgorithms))
        #expect(issuer.validate(nonce, for: client, now: at(issuedAt + 601)) == .stale)
        #expect(NonceIssuer(key: key).validate(nonce, for: client, now: at(issuedAt + 3600)) == .valid(.passwordAlgorithms))
        #expect(NonceIssuer(key: key).validate(nonce, for: client, now: at(issuedAt + 3601)) == .stale)
    }

    @Test func staleWhenDatedTooFarAhead() {
        let issuer = NonceIssuer(key: key)
        let nonce = issuer.issue(for: client, now: at(issuedAt))
        #expect(issuer.validate(nonce, for: client, now: at(issuedAt - 60)) == .valid(.passwordAlgorithms))
        #expect(issuer.validate(nonce, for: client, now: at(issuedAt - 61)) == .stale)
    }

    @Test func boundToTheClientTransportAddress() {
        let issuer = NonceIssuer(key: key)
        let nonce = issuer.issue(for: client, now: at(issuedAt))
        #expect(issuer.validate(nonce, for: TransportAddress("192.0.2.1:32854")!, now: at(issuedAt)) == .invalid)
        #expect(issuer.validate(nonce, for: TransportAddress("192.0.2.2:32853")!, now: at(issuedAt)) == .invalid)
        #expect(issuer.validate(nonce, for: TransportAddress("[::ffff:192.0.2.1]:32853")!, now: at(issuedAt)) == .invalid)
    }

    @Test func anotherKeyIsInvalidEvenWhenOld() {
        let nonce = NonceIssuer(key: key).issue(for: client, now: at(issuedAt))
        let other = NonceIssuer(key: Array(repeating: 7, count: 32))
        #expect(other.validate(nonce, for: client, now: at(issuedAt)) == .invalid)
        #expect(other.validate(nonce, for: client, now: at(issuedAt + 100_000)) == .invalid)
    }

    @Test func everySingleCharacterChangeIsInvalid() {
        let issuer = NonceIssuer(key: key)
        let nonce = Array(issuer.issue(for: client, now: at(issuedAt)).utf8)
        for index in nonce.indices {
            var altered = nonce
            altered[index] = altered[index] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            let text = String(decoding: altered, as: UTF8.self)
            #expect(issuer.validate(text, for: client, now: at(issuedAt)) == .invalid, "index \(index)")
        }
    }

    @Test func flippingTheFeatureBitsIsInvalid() {
        // A bid-down attacker clearing the password-algorithms bit breaks the MAC.
        let issuer = NonceIssuer(key: key)
        let nonce = issuer.issue(for: client, now: at(issuedAt))
        let downgraded = "obMatJos2AAAA" + nonce.dropFirst(13)
        #expect(issuer.validate(downgraded, for: client, now: at(issuedAt)) == .invalid)
    }

    @Test(arguments: [
        "", "obMatJos2", "obMatJos2AAAB", "xbMatJos2AAABAAAAAGVT8QCc5LFArHbGP2BZTIOMuvVD",
        "obMatJos2AAABAAAAAGVT8QCc5LFArHbGP2BZTIOMuvV", "obMatJos2AAABAAAAAGVT8QCc5LFArHbGP2BZTIOMuvVDA",
        "obMatJos2AAABAAAAAGVT8QCc5LFArHbGP2BZTIOMuv==", "obMatJos2AA=BAAAAAGVT8QCc5LFArHbGP2BZTIOMuvVD",
        "obMatJos2AAABAAAAAGVT8QCc5LFArHbGP2BZTIOMuv+D", "obMatJos2AAABAAAAAGVT8QCc5LFArHbGP2BZTIOMuv/D",
        "obMatJos2AAABAAAAAGVT8QCc5LFArHbGP2BZTIOMuvé", "obMatJos2AAAB AAAAGVT8QCc5LFArHbGP2BZTIOMuvVD",
    ])
    func malformedIsInvalid(_ nonce: String) {
        #expect(NonceIssuer(key: key).validate(nonce, for: client, now: at(issuedAt)) == .invalid)
    }

    @Test func base64RoundTripsAndRejectsNonCanonicalText() throws {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            let text = Base64.encode(bytes, alphabet: .url, padded: false)
            #expect(Base64.decodeUnpadded(Substring(text).utf8, alphabet: .url) == bytes)
        }
        #expect(Base64.encode(Array("foobar".utf8), alphabet: .standard, padded: true) == "Zm9vYmFy")
        #expect(Base64.encode(Array("fooba".utf8), alphabet: .standard, padded: true) == "Zm9vYmE=")
        #expect(Base64.encode(Array("foob".utf8), alphabet: .standard, padded: true) == "Zm9vYg==")
        #expect(Base64.encode([0xFB, 0xFF], alphabet: .standard, padded: false) == "+/8")
        #expect(Base64.encode([0xFB, 0xFF], alphabet: .url, padded: false) == "-_8")
        // "Zh" sets bits past the single byte "f" encodes ("Zg" is canonical).
        #expect(Base64.decodeUnpadded(Substring("Zg").utf8, alphabet: .standard) == [0x66])
        #expect(Base64.decodeUnpadded(Substring("Zh").utf8, alphabet: .standard) == nil)
        #expect(Base64.decodeUnpadded(Substring("Z").utf8, alphabet: .standard) == nil)
    }
}
