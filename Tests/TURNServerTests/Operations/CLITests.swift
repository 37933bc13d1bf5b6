import Foundation
import NIOCore
import STUNWire
import Testing
import TURNClient
@testable import TURNServer

/// The `turnpike` binary's operator commands against a live in-process server.
@Suite(.serialized) struct CLITests {
    @Test func allocationsListShowDeleteAsTablesAndJSON() async throws {
        let ops = try await OperationsServer.start()
        let client = try await ops.live.client(.udp)
        let peer = try await ops.live.peer()
        let relayed = try await client.allocate()
        _ = try await client.createPermission(peer.address)
        _ = try await client.channelBind(0x4000, to: peer.address)
        let socket = ["--socket", ops.adminSocket]

        let table = await turnpike(["allocations", "list"] + socket)
        #expect(table.status == 0)
        let lines = table.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("ID   USER   PROTO  CLIENT") == true)
        #expect(lines.count == 3)
        #expect(lines[1].contains(LiveServer.username) && lines[1].contains(relayed.description))
        #expect(lines.last == "1 allocation")

        let json = await turnpike(["allocations", "list", "--json", "--user", LiveServer.username] + socket)
        #expect(json.status == 0)
        let list = try JSONDecoder().decode(AdminAllocationList.self, from: Data(json.stdout.utf8))
        let id = try #require(list.allocations.first?.id)
        #expect(try JSONDecoder().decode(AdminAllocationList.self, from: Data(
            await turnpike(["allocations", "list", "--json", "--user", "nobody"] + socket).stdout.utf8)).allocations.isEmpty)

        let show = await turnpike(["allocations", "show", id] + socket)
        #expect(show.status == 0)
        #expect(show.stdout.contains("5-tuple        udp \(client.localAddress) -> "))
        #expect(show.stdout.contains("0x4000   \(peer.address)"))
        #expect(show.stdout.contains("PERMISSION"))
        #expect(show.stdout.contains("xdp"))
        let shown = try JSONDecoder().decode(AdminAllocation.self, from: Data(await turnpike(["allocations", "show", id, "--json"] + socket).stdout.utf8))
        #expect(shown.id == id)

        let missing = await turnpike(["allocations", "show", "9-999"] + socket)
        #expect(missing.status == 1)
        #expect(missing.stderr == "turnpike: no allocation 9-999\n")

        let delete = await turnpike(["allocations", "delete", id] + socket)
        #expect(delete.status == 0)
        #expect(delete.stdout == "deleted 1 allocation: \(id)\n")
        #expect(await turnpike(["allocations", "list"] + socket).stdout == "no allocations\n")

        let stats = await turnpike(["stats"] + socket)
        #expect(stats.status == 0)
        #expect(stats.stdout.contains("deleted        administrative 1"))
        #expect(stats.stdout.contains("DATAPATH"))
        let statsJSON = try JSONDecoder().decode(AdminStats.self, from: Data(await turnpike(["stats", "--json"] + socket).stdout.utf8))
        #expect(statsJSON.allocationsCreated == 1)

        let reload = await turnpike(["reload"] + socket)
        #expect(reload.status == 1)
        let drain = await turnpike(["drain"] + socket)
        #expect(drain.status == 0)
        #expect(drain.stdout.hasPrefix("draining"))
        #expect(ops.live.server.isDraining)

        await client.close()
        await peer.close()
        await ops.stop()
    }

    @Test func notRunningIsOneClearLine() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("turnpike-none-\(UUID().uuidString.prefix(8)).sock").path
        let result = await turnpike(["stats", "--socket", path])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "turnpike: the server is not running (nothing listens on the admin socket \(path))\n")
        // A socket file left behind with nothing listening: also "not running".
        let ops = try await OperationsServer.start()
        let stale = ops.adminSocket
        await ops.stop()
        #expect(await turnpike(["allocations", "list", "--socket", stale]).stderr.contains("the server is not running"))
    }

    /// As root every socket is permitted, so the binary runs as `nobody` (setpriv) to see EACCES.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") && getuid() == 0, "needs root and setpriv to run the CLI as another user"))
    func notPermittedIsOneClearLine() async throws {
        let ops = try await OperationsServer.start()
        let result = await runProgram(URL(fileURLWithPath: "/usr/bin/setpriv"), [
            "--reuid=65534", "--regid=65534", "--clear-groups", CheckConfigTests.binary.path, "stats", "--socket", ops.adminSocket,
        ])
        #expect(result.status == 1)
        #expect(result.stderr == "turnpike: permission denied on the admin socket \(ops.adminSocket) (run as the server's user, or give --socket)\n")
        await ops.stop()
    }

    @Test func credentialsIssueMintsWhatTheServerAccepts() async throws {
        let ops = try await OperationsServer.start()
        let minted = await turnpike(["credentials", "issue", "--user", "carol", "--ttl", "10m", "--secret", LiveServer.sharedSecret, "--json"])
        #expect(minted.status == 0)
        struct Minted: Decodable {
            var username: String
            var password: String
            var ttl: UInt64
        }
        let credential = try JSONDecoder().decode(Minted.self, from: Data(minted.stdout.utf8))
        #expect(credential.ttl == 600)
        #expect(credential.username.hasSuffix(":carol"))
        let client = try await ops.live.client(.udp, username: credential.username, password: credential.password)
        _ = try await client.allocate()
        let listed = try await ops.admin(AdminAllocationList.self, "GET", "/v1/allocations?user=carol").value.allocations
        #expect(listed.map(\.username) == [credential.username])
        await client.close()

        let text = await turnpike(["credentials", "issue", "--user", "dave", "--secret", "s"])
        #expect(text.stdout.hasPrefix("username  "))
        #expect(text.stdout.contains("\npassword  "))
        let ice = await turnpike(["credentials", "issue", "--user", "dave", "--secret", "s", "--ice-servers", "turn:example.org:3478?transport=udp", "turns:example.org:5349"])
        struct ICE: Decodable {
            var urls: [String]
            var username: String
            var credential: String
        }
        let server = try JSONDecoder().decode(ICE.self, from: Data(ice.stdout.utf8))
        #expect(server.urls == ["turn:example.org:3478?transport=udp", "turns:example.org:5349"])
        #expect(await turnpike(["credentials", "issue", "--user", "dave"]).stderr.contains("give --secret"))
        await ops.stop()
    }

    @Test(arguments: [TURNClient.Transport.udp, .tcp])
    func probeSucceedsAndFailsAtAuthWithAWrongPassword(_ transport: TURNClient.Transport) async throws {
        let ops = try await OperationsServer.start()
        let address = ops.live.address(transport)
        let url = "turn:127.0.0.1:\(address.port)?transport=\(transport)"
        let good = await turnpike(["probe", url, "--user", LiveServer.username, "--password", LiveServer.password])
        #expect(good.status == 0, "\(good.stdout)")
        for step in ["binding", "auth", "allocate", "permission", "channel", "data 1->2", "data 2->1", "refresh", "delete"] {
            #expect(good.stdout.contains("ok   \(step)"))
        }
        #expect(good.stdout.split(separator: "\n").last?.hasPrefix("PASS: ") == true)
        let bad = await turnpike(["probe", url, "--user", LiveServer.username, "--password", "not-the-password"])
        #expect(bad.status == 1)
        #expect(bad.stdout.contains("FAIL auth"))
        #expect(bad.stdout.split(separator: "\n").last?.hasPrefix("FAIL: auth: credentials refused (401 Unauthorized)") == true)
        // Shared-secret credentials minted by the probe itself.
        let secret = await turnpike(["probe", url, "--secret", LiveServer.sharedSecret, "--json"])
        #expect(secret.status == 0)
        let report = try JSONDecoder().decode(TURNProbe.Report.self, from: Data(secret.stdout.utf8))
        #expect(report.passed)
        #expect(report.steps.count == 10)
        #expect(ops.live.server.allocationCount == 0)
        await ops.stop()
    }

    @Test func probeOverTLS() async throws {
        let ops = try await OperationsServer.start(LiveServer.configuration(tls: try makeSelfSignedCertificate()))
        let url = "turns:127.0.0.1:\(ops.live.address(.tls).port)"
        let result = await turnpike(["probe", url, "--user", LiveServer.username, "--password", LiveServer.password])
        #expect(result.status == 0, "\(result.stdout)")
        // Asked to verify, the self-signed certificate is refused.
        let verified = await turnpike(["probe", url, "--user", LiveServer.username, "--password", LiveServer.password, "--verify-certificate"])
        #expect(verified.status == 1)
        #expect(verified.stdout.contains("FAIL"))
        await ops.stop()
    }

    @Test func benchReportsRateLossAndLatencyAsJSON() async throws {
        let ops = try await OperationsServer.start()
        let url = "turn:127.0.0.1:\(ops.live.address(.udp).port)?transport=udp"
        let result = await turnpike([
            "bench", url, "--user", LiveServer.username, "--password", LiveServer.password,
            "--pairs", "2", "--rate", "50", "--size", "64", "--duration", "1s", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let bench = try JSONDecoder().decode(TURNBench.Result.self, from: Data(result.stdout.utf8))
        #expect(bench.sent == 200)
        #expect(bench.received > 0 && bench.received <= bench.sent)
        #expect(bench.relayedPacketsPerSecond > 0)
        #expect(bench.latencyMilliseconds.p50 <= bench.latencyMilliseconds.p99)
        #expect(bench.payloadBytes == 64)
        #expect(await turnpike(["bench", url, "--user", "u", "--password", "p", "--pairs", "0"]).status != 0)
        await ops.stop()
    }
}
