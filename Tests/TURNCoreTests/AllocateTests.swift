import NIOCore
import STUNWire
import Testing
@testable import TURNCore

/// RFC 8656 §7.2: receiving an Allocate request.
@Suite struct AllocateTests {
    @Test func firstAllocateIsChallengedWithTheSmallestCorrect401() {
        var harness = Harness(Fixture.configuration { $0.software = "turnpike" })
        var client = TestClient(Fixture.udp())
        let request = client.plainRequest(.allocate, [.requestedTransport(17)])
        let actions = harness.send(request, from: client.fiveTuple)
        let nonce = harness.core.configuration.nonceIssuer.issue(for: Fixture.clientA, now: harness.now)
        let expected = STUNMessage(
            type: MessageType(.allocate, .errorResponse), transactionID: try! STUNMessage.decode(request).message.transactionID,
            attributes: [
                .errorCode(ErrorCode(code: 401, reason: "")), .realm(Fixture.realm), .nonce(nonce),
                .passwordAlgorithms([.sha256, .md5]),
            ])
        #expect(actions == [
            .event(.authenticationFailed(.missingIntegrity)),
            .sendToClient(client.fiveTuple, try! expected.encode()),
            .event(.requestAnswered(method: .allocate, errorCode: 401)),
        ])
        #expect(harness.core.allocationCount == 0)
    }

    @Test func allocateOpensAPortThenAnswersWithTheAdvertisedAddress() throws {
        var harness = Harness(Fixture.configuration { $0.software = "turnpike" })
        harness.answerPortRequests = false
        var client = TestClient(Fixture.udp())
        harness.login(&client)
        let actions = harness.send(client.request(.allocate, [.requestedTransport(17)]), from: client.fiveTuple)
        guard case .openRelayPorts(let request) = try #require(actions.first), actions.count == 1 else {
            Issue.record("expected only an openRelayPorts, got \(actions)")
            return
        }
        #expect(request.addresses.count == 1)
        #expect(request.addresses[0].ip == Fixture.relayLocalV4)
        #expect((50_000...50_999).contains(request.addresses[0].port))
        #expect(!request.dontFragment)

        harness.core.relayOpened(request.id, now: harness.now)
        let answered = harness.core.drainActions()
        #expect(answered.count == 3)
        guard case .event(.allocationCreated(let id, let tuple, let user, let relayed)) = answered[0] else {
            Issue.record("expected allocationCreated first, got \(answered)")
            return
        }
        let advertised = TransportAddress(ip: Fixture.relayPublicV4, port: request.addresses[0].port)
        #expect(tuple == client.fiveTuple && user == Fixture.username && relayed == [advertised])
        guard case .sendToClient(let to, let bytes) = answered[1] else {
            Issue.record("expected the response second")
            return
        }
        #expect(to == client.fiveTuple)
        #expect(client.verify(bytes))
        let response = try STUNMessage.decode(bytes).message
        #expect(response.type == MessageType(.allocate, .successResponse))
        #expect(response.xorRelayedAddresses == [advertised])
        #expect(response.lifetime == 600)
        #expect(response.xorMappedAddress == Fixture.clientA)
        #expect(response.software == "turnpike")
        #expect(answered[2] == .event(.requestAnswered(method: .allocate, errorCode: nil)))
        #expect(id == AllocationID(rawValue: 1))
    }

    @Test(arguments: [
        ([Attribute](), 400),
        ([.requestedTransport(6)], 442),
        ([.requestedTransport(17), .reservationToken(1), .evenPort(reserveNext: false)], 400),
        ([.requestedTransport(17), .reservationToken(1), .requestedAddressFamily(.ipv4)], 400),
        ([.requestedTransport(17), .reservationToken(1), .additionalAddressFamily(.ipv6)], 400),
        ([.requestedTransport(17), .requestedAddressFamily(.ipv4), .additionalAddressFamily(.ipv6)], 400),
        ([.requestedTransport(17), .additionalAddressFamily(.ipv4)], 400),
        ([.requestedTransport(17), .additionalAddressFamily(.ipv6), .evenPort(reserveNext: true)], 400),
        ([.requestedTransport(17), .reservationToken(12345)], 508),
    ])
    func invalidAllocatesGetTheirErrorCode(_ attributes: [Attribute], _ code: Int) throws {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        harness.login(&client)
        let actions = harness.send(client.request(.allocate, attributes), from: client.fiveTuple)
        let response = try #require(Decode.responses(actions).first)
        #expect(response.errorCode?.code == UInt16(code))
        #expect(client.verify(Decode.sentBytes(actions)[0]))
        #expect(harness.core.allocationCount == 0)
    }

    @Test func unsupportedRequestedFamilyIs440() throws {
        var harness = Harness(Fixture.configuration(ipv6: false))
        var client = TestClient(Fixture.udp())
        let (response, _) = harness.allocate(&client, [.requestedAddressFamily(.ipv6)])
        #expect(response.errorCode?.code == 440)
    }

    @Test func ipv6AllocationRelaysFromTheIPv6Address() throws {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        let (response, _) = harness.allocate(&client, [.requestedAddressFamily(.ipv6)])
        #expect(response.xorRelayedAddresses.map(\.ip) == [Fixture.relayPublicV6])
    }

    @Test func dualAllocationGetsOneAddressPerFamily() throws {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        let (response, actions) = harness.allocate(&client, [.additionalAddressFamily(.ipv6)])
        #expect(response.xorRelayedAddresses.map(\.ip) == [Fixture.relayPublicV4, Fixture.relayPublicV6])
        let opens = actions.compactMap { if case .openRelayPorts(let request) = $0 { request } else { nil } }
        #expect(opens.count == 1 && opens[0].addresses.map(\.ip) == [Fixture.relayLocalV4, Fixture.relayLocalV6])
    }

    @Test func dualAllocationWithoutIPv6IsAPartialSuccess() throws {
        var harness = Harness(Fixture.configuration(ipv6: false))
        var client = TestClient(Fixture.udp())
        let (response, _) = harness.allocate(&client, [.additionalAddressFamily(.ipv6)])
        #expect(response.type.messageClass == .successResponse)
        #expect(response.xorRelayedAddresses.map(\.ip) == [Fixture.relayPublicV4])
        #expect(response.attributes.contains(.addressErrorCode(.ipv6, .addressFamilyNotSupported)))
    }

    @Test(arguments: [(UInt32(100), UInt32(600)), (1200, 1200), (7200, 3600), (600, 600)])
    func lifetimeIsClampedBetweenDefaultAndMaximum(_ requested: UInt32, _ granted: UInt32) {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        let (response, _) = harness.allocate(&client, [.lifetime(requested)])
        #expect(response.lifetime == granted)
    }

    @Test func sharedSecretExpiryCapsTheLifetime() {
        var harness = Harness()
        let expiry = Fixture.start.unixSeconds + 120
        let username = "\(expiry):carol"
        let password = SharedSecretUsername.password(username: username, secret: Fixture.sharedSecret)
        var client = TestClient(Fixture.udp(), username: username, password: password)
        let (response, actions) = harness.allocate(&client)
        #expect(response.lifetime == 120)
        #expect(Decode.events(actions).contains { if case .allocationCreated(_, _, "carol", _) = $0 { true } else { false } })
    }

    @Test func evenPortGivesAnEvenPort() throws {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        let (response, actions) = harness.allocate(&client, [.evenPort(reserveNext: false)])
        let relayed = try #require(response.xorRelayedAddresses.first)
        #expect(relayed.port % 2 == 0)
        #expect(response.reservationToken == nil)
        let opens = actions.compactMap { if case .openRelayPorts(let request) = $0 { request } else { nil } }
        #expect(opens.first?.addresses.count == 1)
    }

    @Test func reserveBitHoldsTheNextPortForAToken() throws {
        var harness = Harness()
        var first = TestClient(Fixture.udp())
        let (response, actions) = harness.allocate(&first, [.evenPort(reserveNext: true)])
        let relayed = try #require(response.xorRelayedAddresses.first)
        let token = try #require(response.reservationToken)
        #expect(relayed.port % 2 == 0)
        let opens = actions.compactMap { if case .openRelayPorts(let request) = $0 { request } else { nil } }
        #expect(opens.first?.addresses.map(\.port) == [relayed.port, relayed.port + 1])

        var second = TestClient(Fixture.udp(Fixture.clientB))
        let (reserved, reservedActions) = harness.allocate(&second, [.reservationToken(token)])
        #expect(reserved.xorRelayedAddresses == [TransportAddress(ip: Fixture.relayPublicV4, port: relayed.port + 1)])
        #expect(!reservedActions.contains { if case .openRelayPorts = $0 { true } else { false } })

        // A token is good once.
        var third = TestClient(Fixture.udp(TransportAddress("81.2.3.6:1")!))
        let (again, _) = harness.allocate(&third, [.reservationToken(token)])
        #expect(again.errorCode?.code == 508)
    }

    @Test func reservationExpiresAfter30SecondsAndClosesItsPort() throws {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        let (response, _) = harness.allocate(&client, [.evenPort(reserveNext: true)])
        let relayed = try #require(response.xorRelayedAddresses.first)
        #expect(harness.tick(.seconds(29)) == [])
        #expect(harness.tick(.seconds(1)) == [
            .closeRelayPort(TransportAddress(ip: Fixture.relayLocalV4, port: relayed.port + 1))
        ])
        var late = TestClient(Fixture.udp(Fixture.clientB))
        let (refused, _) = harness.allocate(&late, [.reservationToken(response.reservationToken!)])
        #expect(refused.errorCode?.code == 508)
    }

    @Test func secondAllocateOnTheSameFiveTupleIs437() {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        harness.allocate(&client)
        let (second, _) = harness.allocate(&client)
        #expect(second.errorCode?.code == 437)
        #expect(harness.core.allocationCount == 1)
    }

    @Test func perUserQuotaIs486() {
        var harness = Harness(Fixture.configuration { $0.allocationsPerUser = 2 })
        for index in 0..<2 {
            var client = TestClient(Fixture.udp(TransportAddress(ip: Fixture.clientA.ip, port: UInt16(1000 + index))))
            let (response, _) = harness.allocate(&client)
            #expect(response.type.messageClass == .successResponse)
        }
        var third = TestClient(Fixture.udp(TransportAddress(ip: Fixture.clientA.ip, port: 2000)))
        #expect(harness.allocate(&third).0.errorCode?.code == 486)
        var other = TestClient(Fixture.udp(Fixture.clientB), username: Fixture.otherUsername, password: Fixture.otherPassword)
        #expect(harness.allocate(&other).0.type.messageClass == .successResponse)
    }

    @Test func totalLimitIs508() {
        var harness = Harness(Fixture.configuration { $0.maximumAllocations = 1 })
        var first = TestClient(Fixture.udp())
        harness.allocate(&first)
        var second = TestClient(Fixture.udp(Fixture.clientB), username: Fixture.otherUsername, password: Fixture.otherPassword)
        #expect(harness.allocate(&second).0.errorCode?.code == 508)
    }

    @Test func aPortTheShellCannotBindIsRetriedElsewhere() throws {
        var harness = Harness(Fixture.configuration(portRange: 50_000...50_001))
        harness.failingPorts = [50_000]
        var client = TestClient(Fixture.udp())
        let (response, actions) = harness.allocate(&client)
        #expect(response.xorRelayedAddresses.first?.port == 50_001)
        #expect(actions.filter { if case .openRelayPorts = $0 { true } else { false } }.count >= 1)
    }

    @Test func portsThatNeverBindEndIn508AndReleaseTheQuota() throws {
        var harness = Harness(Fixture.configuration { $0.maximumPortAttempts = 3; $0.allocationsPerUser = 1 })
        harness.failingPorts = Set(50_000...50_999)
        var client = TestClient(Fixture.udp())
        let (response, actions) = harness.allocate(&client)
        #expect(response.errorCode?.code == 508)
        #expect(client.verify(Decode.sentBytes(actions).last!))
        #expect(actions.filter { if case .openRelayPorts = $0 { true } else { false } }.count == 3)
        harness.failingPorts = []
        #expect(harness.allocate(&client).0.type.messageClass == .successResponse)
    }

    @Test func drainingRedirectsWithAlternateServer() {
        let alternate = TransportAddress("44.9.9.9:3478")!
        var harness = Harness(Fixture.configuration { $0.alternateServer = alternate })
        harness.core.draining = true
        var client = TestClient(Fixture.udp())
        let (response, _) = harness.allocate(&client)
        #expect(response.errorCode?.code == 300)
        #expect(response.attributes.contains(.alternateServer(alternate)))
    }

    @Test func drainingWithoutAlternateIs403() {
        var harness = Harness()
        harness.core.draining = true
        var client = TestClient(Fixture.udp())
        #expect(harness.allocate(&client).0.errorCode?.code == 403)
    }

    @Test func dontFragmentIsPassedToTheShell() {
        var harness = Harness()
        var client = TestClient(Fixture.udp())
        let (_, actions) = harness.allocate(&client, [.dontFragment])
        let opens = actions.compactMap { if case .openRelayPorts(let request) = $0 { request } else { nil } }
        #expect(opens.map(\.dontFragment) == [true])
    }
}
