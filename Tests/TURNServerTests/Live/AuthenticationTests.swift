import NIOCore
import STUNWire
import Testing
import TURNCore
import TURNClient
@testable import TURNServer

/// RFC 8489 §9.2.4 and RFC 8656 §5 failures, answered by the live server.
@Suite struct AuthenticationTests {
    @Test func noCredentialsIs401WithRealmAndNonce() async throws {
        let live = try await LiveServer.start(LiveServer.configuration())
        let client = try await live.client(.udp)
        do {
            let response = try await client.transact(.allocate, [.requestedTransport(17)], authenticate: false)
            #expect(response.errorCode?.code == 401)
            #expect(response.realm == LiveServer.realm)
            #expect(response.nonce?.hasPrefix(NonceIssuer.cookiePrefix) == true)
            #expect(live.server.allocationCount == 0)
        } catch {
            Issue.record(error)
        }
        await client.close()
        await live.stop()
    }

    @Test(arguments: [TURNClient.Transport.udp, .tcp])
    func wrongPasswordIs401(_ transport: TURNClient.Transport) async throws {
        let live = try await LiveServer.start(LiveServer.configuration())
        let client = try await live.client(transport, password: "not-the-password")
        do {
            let response = try await client.request(.allocate, [.requestedTransport(17)])
            #expect(response.errorCode?.code == 401)
            #expect(client.nonce != nil)
            #expect(live.server.allocationCount == 0)
        } catch {
            Issue.record(error)
        }
        await client.close()
        await live.stop()
    }

    @Test func expiredNonceIs438WithAFreshNonce() async throws {
        let configuration = LiveServer.configuration()
        let live = try await LiveServer.start(configuration)
        let client = try await live.client(.udp)
        do {
            _ = try await client.allocate()
            // A nonce this server issued two hours ago for this client: past its lifetime.
            let issuer = NonceIssuer(key: configuration.authentication.nonceKey, lifetime: configuration.authentication.nonceLifetime)
            let now = ServerClock.now()
            let old = Now(monotonic: now.monotonic, unixSeconds: now.unixSeconds - 7200)
            client.nonce = issuer.issue(for: client.localAddress, now: old)
            let response = try await client.transact(.refresh, [.lifetime(600)])
            #expect(response.errorCode?.code == 438)
            #expect(response.nonce != nil && response.nonce != client.nonce)
            // RFC 8489 §9.2.4: the client retries with the new nonce and succeeds.
            #expect(try await client.request(.refresh, [.lifetime(600)]).type.messageClass == .successResponse)
        } catch {
            Issue.record(error)
        }
        await client.close()
        await live.stop()
    }

    @Test func anotherUserOnAnExistingAllocationIs441() async throws {
        let live = try await LiveServer.start(LiveServer.configuration())
        let client = try await live.client(.udp)
        do {
            _ = try await client.allocate()
            // RFC 8656 §5: same 5-tuple, valid credentials of another user.
            client.username = LiveServer.otherUsername
            client.password = LiveServer.otherPassword
            let response = try await client.transact(.refresh, [.lifetime(600)])
            #expect(response.errorCode?.code == 441)
        } catch {
            Issue.record(error)
        }
        await client.close()
        await live.stop()
    }

    @Test func theUserQuotaHoldsAcrossEventLoops() async throws {
        let live = try await LiveServer.start(LiveServer.configuration { $0.quotas.allocationsPerUser = 2 })
        var clients: [TURNClient] = []
        do {
            for _ in 0..<2 {
                let client = try await live.client(.udp)
                clients.append(client)
                _ = try await client.allocate()
            }
            // Whichever loop the third client lands on, the quota counts all of them (486).
            let third = try await live.client(.udp)
            clients.append(third)
            let refused = try await third.request(.allocate, [.requestedTransport(17)])
            #expect(refused.errorCode?.code == 486)
            #expect(try await clients[0].refresh(lifetime: 0).type.messageClass == .successResponse)
            #expect(try await third.request(.allocate, [.requestedTransport(17)]).type.messageClass == .successResponse)
        } catch {
            Issue.record(error)
        }
        for client in clients { await client.close() }
        await live.stop()
    }
}
