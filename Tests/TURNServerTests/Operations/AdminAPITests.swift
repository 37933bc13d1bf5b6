import Foundation
import NIOCore
import STUNWire
import Testing
import TURNClient
@testable import TURNServer

/// The admin API on its Unix socket, against a live server.
@Suite(.serialized) struct AdminAPITests {
    @Test func socketIsOwnerOnly() async throws {
        let ops = try await OperationsServer.start()
        let attributes = try FileManager.default.attributesOfItem(atPath: ops.adminSocket)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        await ops.stop()
        #expect(!FileManager.default.fileExists(atPath: ops.adminSocket))
    }

    @Test func listFiltersShowAndDeleteStopsTraffic() async throws {
        let ops = try await OperationsServer.start()
        let client = try await ops.live.client(.udp)
        let other = try await ops.live.client(.tcp, username: LiveServer.otherUsername, password: LiveServer.otherPassword)
        let peer = try await ops.live.peer()
        let relayed = try await client.allocate()
        _ = try await other.allocate()
        _ = try await client.createPermission(peer.address)
        _ = try await client.channelBind(0x4000, to: peer.address)
        try await client.sendChannelData(0x4000, "before")
        #expect(String(buffer: try await peer.received.next().payload) == "before")

        let all = try await ops.admin(AdminAllocationList.self, "GET", "/v1/allocations").value.allocations
        #expect(all.count == 2)
        let mine = try await ops.admin(AdminAllocationList.self, "GET", "/v1/allocations?user=\(LiveServer.username)").value.allocations
        #expect(mine.count == 1)
        #expect(try await ops.admin(AdminAllocationList.self, "GET", "/v1/allocations?transport=tcp").value.allocations.map(\.user) == [LiveServer.otherUsername])
        #expect(try await ops.admin(AdminAllocationList.self, "GET", "/v1/allocations?peer=127.0.0.2").value.allocations.count == 1)
        #expect(try await ops.admin(AdminAllocationList.self, "GET", "/v1/allocations?client=\(client.localAddress)").value.allocations.count == 1)
        #expect(try await ops.admin(AdminAllocationList.self, "GET", "/v1/allocations?family=ipv6").value.allocations.isEmpty)
        #expect(try await ops.admin(AdminAllocationList.self, "GET", "/v1/allocations?min-age=3600").value.allocations.isEmpty)
        #expect(try await ops.admin(AdminError.self, "GET", "/v1/allocations?transport=sctp").status == 400)

        let id = try #require(mine.first?.id)
        let (status, shown) = try await ops.admin(AdminAllocation.self, "GET", "/v1/allocations/\(id)")
        #expect(status == 200)
        #expect(shown.client == client.localAddress.description)
        #expect(shown.relayed.map(\.advertised) == [relayed.description])
        #expect(shown.permissions.map(\.peer) == ["127.0.0.2"])
        #expect(shown.channels.map(\.number) == ["0x4000"])
        #expect(shown.channels.first?.peer == peer.address.description)
        #expect(shown.traffic.userspace.packetsToPeer == 1)
        #expect(shown.traffic.userspace.bytesToPeer == 6)
        #expect(shown.traffic.xdp == AdminTrafficCounts())
        #expect(shown.lifetimeLeftSeconds > 500)

        let deleted = try await ops.admin(AdminDeleteResult.self, "DELETE", "/v1/allocations/\(id)")
        #expect(deleted.value.deleted == [id])
        #expect(try await ops.admin(AdminError.self, "GET", "/v1/allocations/\(id)").status == 404)
        #expect(try await ops.admin(AdminError.self, "DELETE", "/v1/allocations/\(id)").status == 404)
        // Nothing is relayed after the delete: not the client's ChannelData, not the peer's reply.
        try await client.sendChannelData(0x4000, "after")
        await #expect(throws: MailboxTimeout.self) { _ = try await peer.received.next(within: .milliseconds(500)) }
        try await peer.send("reply", to: relayed)
        await #expect(throws: MailboxTimeout.self) { _ = try await client.receiveData(within: .milliseconds(500)) }
        #expect(ops.live.server.allocationCount == 1)

        await client.close()
        await other.close()
        await peer.close()
        await ops.stop()
    }

    @Test func deleteByUserEndsEveryAllocationOfThatUser() async throws {
        let ops = try await OperationsServer.start()
        var clients: [TURNClient] = []
        for _ in 0..<3 {
            let client = try await ops.live.client(.udp)
            _ = try await client.allocate()
            clients.append(client)
        }
        let other = try await ops.live.client(.udp, username: LiveServer.otherUsername, password: LiveServer.otherPassword)
        _ = try await other.allocate()
        let result = try await ops.admin(AdminDeleteResult.self, "DELETE", "/v1/allocations?user=\(LiveServer.username)")
        #expect(result.value.deleted.count == 3)
        let left = try await ops.admin(AdminAllocationList.self, "GET", "/v1/allocations").value.allocations
        #expect(left.map(\.user) == [LiveServer.otherUsername])
        let stats = try await ops.admin(AdminStats.self, "GET", "/v1/stats").value
        #expect(stats.allocations == 1)
        #expect(stats.allocationsDeleted["administrative"] == 3)
        // The deleted clients' next Refresh finds no allocation (RFC 8656 §8: 437).
        #expect(try await clients[0].refresh(lifetime: 600).errorCode?.code == 437)
        for client in clients { await client.close() }
        await other.close()
        await ops.stop()
    }

    @Test func statsDrainAndReload() async throws {
        let ops = try await OperationsServer.start()
        let stats = try await ops.admin(AdminStats.self, "GET", "/v1/stats").value
        #expect(stats.ready)
        #expect(!stats.draining)
        #expect(stats.eventLoops == 2)
        #expect(stats.listeners["udp"]?.count == 1)

        // The development-style server has no file to re-read: the reload is refused, said so.
        let reload = try await ops.admin(AdminActionResult.self, "POST", "/v1/reload")
        #expect(reload.status == 409)
        #expect(!reload.value.ok)

        let drain = try await ops.admin(AdminActionResult.self, "POST", "/v1/drain")
        #expect(drain.status == 200)
        #expect(ops.live.server.isDraining)
        #expect(try await ops.admin(AdminStats.self, "GET", "/v1/stats").value.draining)
        // New allocations are refused while draining (RFC 8489 §10 alternate or 403).
        let client = try await ops.live.client(.udp)
        await #expect(throws: TURNClient.ClientError.self) { _ = try await client.allocate() }
        await client.close()
        // A second drain request (or SIGTERM after it) keeps the first; with no allocation left
        // the drain is complete.
        #expect(try await ops.admin(AdminActionResult.self, "POST", "/v1/drain").status == 200)
        await ops.live.server.drain()
        await ops.stop()
    }
}

/// Where the admin socket goes.
@Suite struct AdminSocketPathTests {
    @Test func missingDirectoryIsCreatedOwnerAndGroupOnly() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("turnpike-run-\(UUID().uuidString.prefix(8))/turnpike").path
        try AdminService.prepareDirectory(for: directory + "/admin.sock")
        let attributes = try FileManager.default.attributesOfItem(atPath: directory)
        #expect((attributes[.posixPermissions] as? Int) == AdminService.directoryMode)
    }

    @Test func aFileThatIsNotASocketIsNotRemoved() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("turnpike-notasocket-\(UUID().uuidString.prefix(8))").path
        try "keep me".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: AdminError.self) { try AdminService.removeStaleSocket(at: path) }
        #expect(FileManager.default.fileExists(atPath: path))
    }
}
