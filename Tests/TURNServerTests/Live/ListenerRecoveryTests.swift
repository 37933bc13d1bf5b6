import NIOCore
import STUNWire
import Testing
import TURNClient
@testable import TURNServer

/// A UDP listener that closes anyway is bound again at once, in the order that keeps clients
/// steered to the loop that holds their allocation; `/readyz` is 503 and `turnpike stats` lists
/// it as down meanwhile; one log line and one count per loss.
@Suite struct ListenerRecoveryTests {
    /// Loop `index`'s open UDP listener.
    static func listener(_ server: TURNServer, loop index: Int) async throws -> any Channel {
        let worker = server.currentWorkers[index]
        let address = server.boundAddresses.udp[0]
        guard let channel = try await worker.eventLoop.submit({ worker.activeListener(at: address)?.channel }).get() else {
            throw TURNClient.ClientError(description: "loop \(index) has no listener")
        }
        return channel
    }

    /// Waits until the loss was noticed and the listener is back.
    static func waitUntilRecovered(_ server: TURNServer) async throws {
        for _ in 0..<200 {
            if server.lock.withLock({ server.listenerRestarts }) > 0, server.isReady { return }
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
    func aClosedListenerIsBoundAgainAndClientsKeepTheirLoop(closing loop: Int) async throws {
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
            let old = try await Self.listener(live.server, loop: loop)
            try await old.close()
            try await Self.waitUntilRecovered(live.server)

            for client in clients {
                #expect(try await client.refresh(lifetime: 600).type.messageClass == .successResponse)
            }
            let fresh = try await Self.listener(live.server, loop: loop)
            #expect(fresh !== old)
            let stats = await live.server.stats()
            #expect(stats.listenersDown.isEmpty)
            #expect(stats.listeners["udp"] == [live.server.boundAddresses.udp[0].description])
            #expect(live.server.lock.withLock { live.server.listenerRestarts } == 1)
            #expect(live.logs.all.filter { $0.contains("UDP listener closed unexpectedly") }.count == 1)
            #expect(live.logs.all.filter { $0.contains("UDP listener bound again") }.count == 1)
        } catch {
            Issue.record(error)
        }
        for client in clients { await client.close() }
        await live.stop()
    }

    /// While a listener is down, readiness fails and the stats say which one.
    @Test func readinessFailsWhileAListenerIsDown() async throws {
        let live = try await LiveServer.start(LiveServer.configuration())
        let address = live.server.boundAddresses.udp[0]
        #expect(live.server.isReady)
        live.server.lock.withLock { _ = live.server.listenersDown.insert(address) }
        #expect(!live.server.isReady)
        live.server.lock.withLock { _ = live.server.listenersDown.remove(address) }
        #expect(live.server.isReady)
        await live.stop()
    }
}
