import NIOCore
import STUNWire
import Testing
import TURNClient
import TURNCore
@testable import TURNServer

/// A listener that closes anyway is bound again at once, in the order that keeps clients steered
/// to the loop that holds their allocation; `/readyz` is 503 and `turnpike stats` lists it as
/// down meanwhile; one log line and one count per loss.
@Suite struct ListenerRecoveryTests {
    static func key(_ server: TURNServer, _ transport: ClientTransport) -> ListenerKey {
        let bound = server.boundAddresses
        return ListenerKey(transport: transport, address: transport == .udp ? bound.udp[0] : bound.tcp[0])
    }

    /// Loop `index`'s open listener for `transport`.
    static func listener(_ server: TURNServer, _ transport: ClientTransport, loop index: Int) async throws -> any Channel {
        let worker = server.currentWorkers[index]
        let key = key(server, transport)
        guard let channel = try await worker.eventLoop.submit({ worker.activeListener(key)?.channel }).get() else {
            throw TURNClient.ClientError(description: "loop \(index) has no \(transport) listener")
        }
        return channel
    }

    static func restarts(_ server: TURNServer, _ transport: ClientTransport) -> UInt64 {
        server.lock.withLock { server.listenerRestarts[transport] ?? 0 }
    }

    /// Waits until the loss was noticed and the listener is back.
    static func waitUntilRecovered(_ server: TURNServer, _ transport: ClientTransport) async throws {
        for _ in 0..<200 {
            if restarts(server, transport) > 0, server.isReady { return }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw TURNClient.ClientError(description: "the listener was not bound again")
    }

    /// Clients on 127.0.0.x addresses that `ReusePortSharding` steers to loops 0 and 1.
    static func hosts() -> [String] {
        var byLoop: [Int: String] = [:]
        for last in 10...60 {
            let host = "127.0.0.\(last)"
            let loop = ReusePortSharding.socketIndex(for: .v4(IPv4Address(127, 0, 0, UInt8(last))), sockets: 2)
            byLoop[loop] = byLoop[loop] ?? host
        }
        return [byLoop[0]!, byLoop[1]!]
    }

    @Test(arguments: [0, 1])
    func aClosedUDPListenerIsBoundAgainAndClientsKeepTheirLoop(closing loop: Int) async throws {
        let live = try await LiveServer.start(LiveServer.configuration())
        var clients: [TURNClient] = []
        do {
            // One allocation per loop; after the recovery their Refreshes must reach the same
            // cores (a core that does not hold the allocation answers 437).
            for host in Self.hosts() {
                let client = try await live.client(.udp, localHost: host)
                _ = try await client.allocate()
                clients.append(client)
            }
            let old = try await Self.listener(live.server, .udp, loop: loop)
            try await old.close()
            try await Self.waitUntilRecovered(live.server, .udp)

            for client in clients {
                #expect(try await client.refresh(lifetime: 600).type.messageClass == .successResponse)
            }
            let fresh = try await Self.listener(live.server, .udp, loop: loop)
            #expect(fresh !== old)
            let stats = await live.server.stats()
            #expect(stats.listenersDown.isEmpty)
            #expect(stats.listeners["udp"] == [live.server.boundAddresses.udp[0].description])
            #expect(Self.restarts(live.server, .udp) == 1)
            #expect(live.logs.all.filter { $0.contains("listener closed unexpectedly") }.count == 1)
            #expect(live.logs.all.filter { $0.contains("listener bound again") }.count == 1)
        } catch {
            Issue.record(error)
        }
        for client in clients { await client.close() }
        await live.stop()
    }

    /// A TCP listener likewise; connections it accepted earlier are not its to lose.
    @Test func aClosedTCPListenerIsBoundAgain() async throws {
        let live = try await LiveServer.start(LiveServer.configuration())
        do {
            let before = try await live.client(.tcp)
            _ = try await before.allocate()
            try await Self.listener(live.server, .tcp, loop: 0).close()
            try await Self.waitUntilRecovered(live.server, .tcp)
            #expect(try await before.refresh(lifetime: 600).type.messageClass == .successResponse)
            for host in Self.hosts() {
                let client = try await live.client(.tcp, localHost: host)
                #expect(try await client.allocate().port != 0)
                await client.close()
            }
            #expect(await live.server.stats().listeners["tcp"] == [live.server.boundAddresses.tcp[0].description])
            #expect(Self.restarts(live.server, .tcp) == 1)
            await before.close()
        } catch {
            Issue.record(error)
        }
        await live.stop()
    }

    /// While a listener is down, readiness fails.
    @Test func readinessFailsWhileAListenerIsDown() async throws {
        let live = try await LiveServer.start(LiveServer.configuration())
        let key = Self.key(live.server, .udp)
        #expect(live.server.isReady)
        live.server.lock.withLock { _ = live.server.listenersDown.insert(key) }
        #expect(!live.server.isReady)
        live.server.lock.withLock { _ = live.server.listenersDown.remove(key) }
        #expect(live.server.isReady)
        await live.stop()
    }
}
