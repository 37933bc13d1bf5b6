import Foundation
import NIOCore
import STUNWire
import Testing
import TURNClient
@testable import TURNServer

/// A relay socket that closes on its own is bound again while its allocation lives; relaying
/// resumes both ways. Found by tests/hardening's faults check, when NIO's write path still closed
/// a datagram socket on EINVAL or ENETUNREACH (the relay address removed from its interface): the
/// allocation stayed with a closed socket for the rest of its life, silently. Sends no longer
/// close sockets (`DatagramSendQueueTests`); this is the safety net for any other close.
@Suite struct RelaySocketRecoveryTests {
    @Test func aRelaySocketClosedOnItsOwnIsBoundAgain() async throws {
        let live = try await LiveServer.start(LiveServer.configuration())
        let client = try await live.client(.udp)
        let peer = try await live.peer()
        do {
            let relayed = try await client.allocate()
            #expect(try await client.channelBind(0x4000, to: peer.address).type.messageClass == .successResponse)
            try await client.sendChannelData(0x4000, "before")
            #expect(String(buffer: try await peer.received.next().payload) == "before")

            // Close the socket under the worker.
            let (owner, closed) = try await Self.relayChannel(live.server, relayed)
            try await closed.close()
            // The closed socket drops what the client sends (counted); a new one comes up soon.
            try await Self.waitForNewSocket(owner, relayed, replacing: closed)
            try await client.sendChannelData(0x4000, "after")
            let atPeer = try await peer.received.next()
            #expect(String(buffer: atPeer.payload) == "after")
            #expect(atPeer.from == relayed)
            try await peer.send("back", to: relayed)
            #expect(try await client.receiveData().payload == "back")
            let lost = try await owner.eventLoop.submit { owner.counters.relaySocketsLost }.get()
            #expect(lost == 1)
            #expect(live.logs.all.filter { $0.contains("relay socket closed unexpectedly") }.count == 1)
        } catch {
            Issue.record(error)
        }
        await client.close()
        await peer.close()
        await live.stop()
    }

    /// A socket closed because its allocation ended is not bound again.
    @Test func aSocketClosedWithItsAllocationStaysClosed() async throws {
        let live = try await LiveServer.start(LiveServer.configuration())
        let client = try await live.client(.udp)
        do {
            let relayed = try await client.allocate()
            let (owner, _) = try await Self.relayChannel(live.server, relayed)
            _ = try await client.refresh(lifetime: 0)
            try await Task.sleep(for: .milliseconds(200))
            let port = relayed.port
            let (socket, lost) = try await owner.eventLoop.submit { (Self.outlet(owner, port: port), owner.counters.relaySocketsLost) }.get()
            #expect(socket == nil)
            #expect(lost == 0)
        } catch {
            Issue.record(error)
        }
        await client.close()
        await live.stop()
    }

    /// Lookups by port: a closure that captures a `TransportAddress` and hashes it hits the
    /// misaligned spill in Swift's debug code (see SocketAddressCache.forget).
    static func outlet(_ worker: RelayWorker, port: UInt16) -> Outlet? {
        worker.relaySockets.first { $0.key.port == port }?.value
    }

    static func relayChannel(_ server: TURNServer, _ relayed: TransportAddress) async throws -> (RelayWorker, any Channel) {
        let port = relayed.port
        for worker in server.lock.withLock({ server.workers }) {
            if let channel = try await worker.eventLoop.submit({ outlet(worker, port: port)?.channel }).get() {
                return (worker, channel)
            }
        }
        throw TURNClient.ClientError(description: "no relay socket for \(relayed)")
    }

    static func waitForNewSocket(_ worker: RelayWorker, _ relayed: TransportAddress, replacing old: any Channel) async throws {
        let port = relayed.port
        for _ in 0..<100 {
            let fresh = try await worker.eventLoop.submit { () -> Bool in
                guard let channel = outlet(worker, port: port)?.channel else { return false }
                return channel !== old && channel.isActive
            }.get()
            if fresh { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TURNClient.ClientError(description: "the relay socket was not bound again")
    }
}
