import Foundation
import NIOCore
import STUNWire
import Testing
import TURNClient
@testable import TURNServer

/// `POST /v1/reload` on a server started from a file: a new user works after it.
@Suite struct AdminReloadTests {
    @Test func reloadThroughTheAdminAPIAddsAUser() async throws {
        let ports = (try freePort(tcp: false), try freePort(tcp: true))
        let path = try writeYAML(ReloadLiveTests.yaml(users: ReloadLiveTests.alice, ports: ports))
        let sources = ConfigurationSources(filePath: path)
        var random = SeededGenerator(state: 5)
        let loaded = try #require(ServerConfiguration.load(from: sources, random: &random).value)
        let ops = try await OperationsServer.start(loaded.configuration, sources: sources)
        let before = try await ops.live.client(.udp, username: "carol", password: "carol-password-1")
        await #expect(throws: TURNClient.ClientError.self) { _ = try await before.allocate() }
        await before.close()

        try ReloadLiveTests.yaml(users: ReloadLiveTests.alice + "\n" + ReloadLiveTests.carol, ports: ports)
            .write(toFile: path, atomically: true, encoding: .utf8)
        let reload = try await ops.admin(AdminActionResult.self, "POST", "/v1/reload")
        #expect(reload.status == 200)
        #expect(reload.value.ok)
        let after = try await ops.live.client(.udp, username: "carol", password: "carol-password-1")
        _ = try await after.allocate()
        await after.close()
        await ops.stop()
    }
}
