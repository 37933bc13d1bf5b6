import NIOCore
import STUNWire
import Testing
@testable import TURNCore

/// RFC 8489 §9.2 long-term credentials as the core applies them (RFC 8656 §5).
@Suite struct AuthTests {
    static func challengeShape(_ message: STUNMessage) -> [AttributeType] { message.attributes.map(\.type) }

    @Test func sha1IntegrityIsAnsweredWithSHA1() throws {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        client.integrity = .sha1
        client.passwordAlgorithm = nil
        harness.login(&client)
        let actions = harness.send(client.request(.allocate, [.requestedTransport(17)]), from: client.fiveTuple)
        let bytes = try #require(Decode.sentBytes(actions).first)
        let decoded = try STUNMessage.decode(bytes)
        #expect(decoded.hasMessageIntegrity && !decoded.hasMessageIntegritySHA256)
        #expect(client.verify(bytes))
        #expect(decoded.message.type.messageClass == .successResponse)
    }

    @Test func truncatedSHA256IsMatchedAndFingerprintMirrored() throws {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        client.integrity = .sha256(length: 16)
        client.fingerprint = true
        harness.login(&client)
        let actions = harness.send(client.request(.allocate, [.requestedTransport(17)]), from: client.fiveTuple)
        let bytes = try #require(Decode.sentBytes(actions).first)
        let decoded = try STUNMessage.decode(bytes)
        #expect(decoded.messageIntegritySHA256Length == 16)
        #expect(decoded.message.contains(.fingerprint))
        #expect(client.verify(bytes))
    }

    @Test func md5KeyWhenNeitherAlgorithmAttributeIsSent() {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        client.passwordAlgorithm = nil
        #expect(harness.allocate(&client).0.type.messageClass == .successResponse)
    }

    @Test func wrongPasswordUnknownUserAndExpiredCredentialLookAlike() throws {
        var harness = Harness()
        var shapes: [[AttributeType]] = []
        let expired = "\(Fixture.start.unixSeconds - 1):carol"
        let cases: [(String, String, AuthFailureReason)] = [
            (Fixture.username, "wrong", .integrityMismatch),
            ("mallory", "whatever", .unknownUser),
            (expired, SharedSecretUsername.password(username: expired, secret: Fixture.sharedSecret), .expiredCredential),
        ]
        for (index, (username, password, reason)) in cases.enumerated() {
            var client = TestClient(Fixture.udp(TransportAddress(ip: Fixture.clientA.ip, port: UInt16(100 + index))), username: username, password: password)
            harness.login(&client)
            let actions = harness.send(client.request(.allocate, [.requestedTransport(17)]), from: client.fiveTuple)
            let response = try #require(Decode.responses(actions).first)
            #expect(response.errorCode == ErrorCode(code: 401, reason: ""))
            #expect(Decode.events(actions).first == .authenticationFailed(reason))
            shapes.append(Self.challengeShape(response))
        }
        #expect(Set(shapes.map { $0.map(\.rawValue) }).count == 1)
        #expect(shapes[0] == [.errorCode, .realm, .nonce, .passwordAlgorithms])
        #expect(harness.core.allocationCount == 0)
    }

    @Test func aSharedSecretCredentialExpiringTooFarAheadIs401() throws {
        var harness = Harness()
        // A backend minting expiries in milliseconds: valid HMAC, absurd lifetime.
        let millis = "\(Fixture.start.unixSeconds * 1000):carol"
        var client = TestClient(Fixture.udp(), username: millis,
                                password: SharedSecretUsername.password(username: millis, secret: Fixture.sharedSecret))
        harness.login(&client)
        let actions = harness.send(client.request(.allocate, [.requestedTransport(17)]), from: client.fiveTuple)
        #expect(Decode.responses(actions).first?.errorCode?.code == 401)
        #expect(Decode.events(actions).first == .authenticationFailed(.expiryTooFar))
        // A day ahead is fine.
        let day = "\(Fixture.start.unixSeconds + 86_400):carol"
        var fine = TestClient(Fixture.udp(Fixture.clientB), username: day,
                              password: SharedSecretUsername.password(username: day, secret: Fixture.sharedSecret))
        #expect(harness.allocate(&fine).0.type.messageClass == .successResponse)
    }

    @Test func staleNonceIs438WithAFreshNonceThatWorks() throws {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        harness.login(&client)
        harness.advance(.seconds(3601))
        let actions = harness.send(client.request(.allocate, [.requestedTransport(17)]), from: client.fiveTuple)
        let response = try #require(Decode.responses(actions).first)
        #expect(response.errorCode?.code == 438)
        #expect(response.realm == Fixture.realm)
        let fresh = try #require(response.nonce)
        #expect(fresh != client.nonce)
        client.nonce = fresh
        let retry = harness.send(client.request(.allocate, [.requestedTransport(17)]), from: client.fiveTuple)
        #expect(Decode.responses(retry).first?.type.messageClass == .successResponse)
    }

    @Test func aNonceIssuedToAnotherAddressIs438() throws {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        harness.login(&client)
        client.fiveTuple = Fixture.udp(Fixture.clientB)  // NAT rebinding
        let actions = harness.send(client.request(.allocate, [.requestedTransport(17)]), from: client.fiveTuple)
        #expect(Decode.responses(actions).first?.errorCode?.code == 438)
        #expect(Decode.events(actions).first == .authenticationFailed(.invalidNonce))
    }

    @Test func integrityWithoutRealmOrNonceIs400() throws {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        let actions = harness.send(client.request(.allocate, [.requestedTransport(17)]), from: client.fiveTuple)
        let response = try #require(Decode.responses(actions).first)
        #expect(response.errorCode?.code == 400)
        #expect(response.attributes.map(\.type) == [.errorCode])
    }

    @Test(arguments: [
        ([PasswordAlgorithm.md5], PasswordAlgorithm.md5),
        ([.md5, .sha256], .sha256),
        ([.sha256, .md5], PasswordAlgorithm(number: 7)),
    ])
    func bidDownAttemptsAre400(_ offered: [PasswordAlgorithm], _ chosen: PasswordAlgorithm) throws {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        harness.login(&client)
        client.offeredAlgorithms = offered
        client.passwordAlgorithm = chosen
        client.integrity = .sha1
        let actions = harness.send(client.request(.allocate, [.requestedTransport(17)]), from: client.fiveTuple)
        #expect(Decode.responses(actions).first?.errorCode?.code == 400)
        #expect(Decode.events(actions).first == .authenticationFailed(.bidDown))
    }

    @Test func onlyOneOfTheAlgorithmAttributesIs400() throws {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        harness.login(&client)
        let nonce = try #require(client.nonce)
        let message = STUNMessage(
            type: MessageType(.allocate, .request), transactionID: TransactionID(high: 1, low: 1),
            attributes: [
                .requestedTransport(17), .username(Fixture.username), .realm(Fixture.realm), .nonce(nonce),
                .passwordAlgorithm(.sha256),
            ])
        let bytes = try message.encode(EncodingOptions(messageIntegrityKey: client.key))
        let actions = harness.send(bytes, from: client.fiveTuple)
        #expect(Decode.responses(actions).first?.errorCode?.code == 400)
    }

    @Test func userhashAuthenticates() {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        client.useUserhash = true
        let (response, actions) = harness.allocate(&client)
        #expect(response.type.messageClass == .successResponse)
        #expect(Decode.events(actions).contains { if case .allocationCreated(_, _, Fixture.username, _) = $0 { true } else { false } })
    }

    @Test func wrongRealmIs401() throws {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        harness.login(&client)
        client.realm = "elsewhere"
        let actions = harness.send(client.request(.allocate, [.requestedTransport(17)]), from: client.fiveTuple)
        #expect(Decode.responses(actions).first?.errorCode?.code == 401)
        #expect(Decode.events(actions).first == .authenticationFailed(.wrongRealm))
    }

    @Test func anotherUsernameOnAnAllocationsFiveTupleIs441() throws {
        var harness = Harness()
        var alice = TestClient(Fixture.udp())
        harness.allocate(&alice)
        var bob = TestClient(Fixture.udp(), username: Fixture.otherUsername, password: Fixture.otherPassword)
        bob.nonce = alice.nonce
        let actions = harness.send(bob.request(.refresh), from: bob.fiveTuple)
        let response = try #require(Decode.responses(actions).first)
        #expect(response.errorCode?.code == 441)
        #expect(bob.verify(Decode.sentBytes(actions)[0]))
    }

    @Test func unknownRequiredAttributeIs420AfterAuthentication() throws {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        let unknown = AttributeType(rawValue: 0x0042)
        let plain = harness.send(client.plainRequest(.allocate, [.requestedTransport(17), .unknown(unknown, ByteBuffer(bytes: [0, 0, 0, 0]))]), from: client.fiveTuple)
        #expect(Decode.responses(plain).first?.errorCode?.code == 401)
        harness.login(&client)
        let actions = harness.send(
            client.request(.allocate, [.requestedTransport(17), .unknown(unknown, ByteBuffer(bytes: [0, 0, 0, 0]))]), from: client.fiveTuple)
        let response = try #require(Decode.responses(actions).first)
        #expect(response.errorCode?.code == 420)
        #expect(response.attributes.contains(.unknownAttributes([unknown])))
        #expect(client.verify(Decode.sentBytes(actions)[0]))
    }

    @Test func unauthenticatedRepliesAreRateLimitedPerSource() {
        var harness = Harness(Fixture.configuration { $0.unauthenticatedReplyBurst = 5; $0.unauthenticatedRepliesPerSecond = 1 })
        var client = TestClient(Fixture.udp())
        var replies = 0
        for _ in 0..<8 {
            replies += Decode.responses(harness.send(client.plainRequest(.refresh), from: client.fiveTuple)).count
        }
        #expect(replies == 5)
        #expect(harness.core.drops[.replyRateLimited] == 3)
        // Another source has its own budget; time refills this one.
        var other = TestClient(Fixture.udp(TransportAddress("82.1.1.1:5")!))
        #expect(Decode.responses(harness.send(other.plainRequest(.refresh), from: other.fiveTuple)).count == 1)
        harness.advance(.seconds(1))
        #expect(Decode.responses(harness.send(client.plainRequest(.refresh), from: client.fiveTuple)).count == 1)
    }

    @Test func unauthenticatedRequestsLeaveNoState() {
        var harness = Harness()
        for port in UInt16(1)...200 {
            var client = TestClient(Fixture.udp(TransportAddress(ip: .v4(IPv4Address(81, 0, UInt8(port >> 8), UInt8(port & 0xFF))), port: port)))
            _ = harness.send(client.plainRequest(.allocate, [.requestedTransport(17)]), from: client.fiveTuple)
            _ = harness.send(client.request(.allocate, [.requestedTransport(17)]), from: client.fiveTuple)
        }
        #expect(harness.core.responseCache.count == 0)
        #expect(harness.core.pending.isEmpty && harness.core.users.isEmpty && harness.core.timers.count == 0)
    }

    @Test func bindingNeedsNoCredentialsAndReflectsTheAddress() throws {
        var harness = Harness(Fixture.configuration { $0.software = "turnpike" })
        var client = TestClient(Fixture.udp())
        let actions = harness.send(client.plainRequest(.binding), from: client.fiveTuple)
        let response = try #require(Decode.responses(actions).first)
        #expect(response.type == MessageType(.binding, .successResponse))
        #expect(response.attributes == [.xorMappedAddress(Fixture.clientA)])
        let unknown = harness.send(client.plainRequest(.binding, [.unknown(AttributeType(rawValue: 0x0033), ByteBuffer())]), from: client.fiveTuple)
        #expect(Decode.responses(unknown).first?.errorCode?.code == 420)
    }

    @Test func unknownMethodIs400() throws {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        let actions = harness.send(client.plainRequest(Method(rawValue: 0x0ABC)!), from: client.fiveTuple)
        #expect(Decode.responses(actions).first?.errorCode?.code == 400)
    }
}
