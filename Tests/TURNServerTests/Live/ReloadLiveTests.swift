import Foundation
import NIOCore
import STUNWire
import Testing
import TURNCore
@testable import TURNServer

/// SIGHUP's entry point, `TURNServer.reload()`, against a server started from a file.
@Suite struct ReloadLiveTests {
    static func yaml(
        users: String, ports: (UInt16, UInt16), tls: (UInt16, ServerConfiguration.TLS)? = nil, deny: String = "[]"
    ) -> String {
        let tlsSection = tls.map { "tls:\n  certificate: \($0.1.certificatePath)\n  private-key: \($0.1.privateKeyPath)\n" } ?? ""
        let tlsListener = tls.map { "[\"127.0.0.1:\($0.0)\"]" } ?? "[]"
        return """
        listen:
          udp: ["127.0.0.1:\(ports.0)"]
          tcp: ["127.0.0.1:\(ports.1)"]
          tls: \(tlsListener)
        \(tlsSection)
        relay:
          ipv4: 127.0.0.1
          port-min: \(LiveServer.relayPorts.lowerBound)
          port-max: \(LiveServer.relayPorts.upperBound)
        server:
          event-loops: 2
        auth:
          realm: \(LiveServer.realm)
          users:
        \(users)
          nonce-key: "00112233445566778899aabbccddeeff"
        peers:
          allow: ["127.0.0.0/8"]
          deny: \(deny)
        http:
          address: "off"

        """
    }

    static let alice = "    alice:\n      password: \"\(LiveServer.password)\""
    static let carol = "    carol:\n      password: \"carol-password-1\""

    @Test func aGoodReloadAddsAUserWithoutDroppingAllocations() async throws {
        let ports = (try freePort(tcp: false), try freePort(tcp: true))
        let path = try writeYAML(Self.yaml(users: Self.alice, ports: ports))
        let sources = ConfigurationSources(filePath: path)
        var random = SeededGenerator(state: 3)
        let loaded = try #require(ServerConfiguration.load(from: sources, random: &random).value)
        let live = try await LiveServer.start(loaded.configuration, sources: sources)
        let alice = try await live.client(.udp)
        let peer = try await live.peer()
        do {
            let relayed = try await alice.allocate()
            #expect(try await alice.createPermission(peer.address).type.messageClass == .successResponse)
            let carolBefore = try await live.client(.udp, username: "carol", password: "carol-password-1")
            #expect(try await carolBefore.request(.allocate, [.requestedTransport(17)]).errorCode?.code == 401)
            await carolBefore.close()

            try Self.yaml(users: Self.alice + "\n" + Self.carol, ports: ports).write(toFile: path, atomically: true, encoding: .utf8)
            #expect(await live.server.reload())
            #expect(live.logs.all.contains { $0.contains("configuration reloaded") && $0.contains("auth.users") })

            let carol = try await live.client(.udp, username: "carol", password: "carol-password-1")
            _ = try await carol.allocate()
            await carol.close()
            // Alice's allocation survived the reload.
            try await peer.send("after reload", to: relayed)
            #expect(try await alice.receiveData().payload == "after reload")
            #expect(live.server.allocationCount == 2)
        } catch {
            Issue.record(error)
        }
        await alice.close()
        await peer.close()
        await live.stop()
    }

    /// A reload that removes a user ends that user's allocation at once (its relay socket closed,
    /// the server's count and the log say why), and one that denies a peer removes the
    /// permissions for it; the workers carry out what their cores decide.
    @Test func aReloadRevokesARemovedUsersAllocationAndADeniedPeersPermission() async throws {
        let ports = (try freePort(tcp: false), try freePort(tcp: true))
        let path = try writeYAML(Self.yaml(users: Self.alice + "\n" + Self.carol, ports: ports))
        let sources = ConfigurationSources(filePath: path)
        var random = SeededGenerator(state: 6)
        let loaded = try #require(ServerConfiguration.load(from: sources, random: &random).value)
        let live = try await LiveServer.start(loaded.configuration, sources: sources)
        let alice = try await live.client(.udp)
        let carol = try await live.client(.udp, username: "carol", password: "carol-password-1")
        let peer = try await live.peer()
        do {
            _ = try await alice.allocate()
            _ = try await carol.allocate()
            #expect(try await alice.createPermission(peer.address).type.messageClass == .successResponse)
            #expect(live.server.allocationCount == 2)

            try Self.yaml(users: Self.alice, ports: ports, deny: "[\"\(peer.address.ip)\"]")
                .write(toFile: path, atomically: true, encoding: .utf8)
            #expect(await live.server.reload())
            #expect(live.server.allocationCount == 1)
            #expect(live.logs.all.contains { $0.contains("allocation deleted") && $0.contains("credentials_revoked") && $0.contains("carol") })
            #expect(live.logs.all.contains { $0.contains("peers revoked") && $0.contains("alice") })
            let metrics = String(decoding: await live.server.metricsExposition(), as: UTF8.self)
            #expect(metrics.contains("turnpike_peers_revoked_total{kind=\"permission\"} 1"))
            #expect(metrics.contains("turnpike_allocations_deleted_total{reason=\"credentials_revoked\"} 1"))
            // Alice's allocation lives on, without the peer.
            #expect(try await alice.refresh(lifetime: 600).type.messageClass == .successResponse)
            #expect(try await alice.createPermission(peer.address).errorCode?.code == 403)
        } catch {
            Issue.record(error)
        }
        await alice.close()
        await carol.close()
        await peer.close()
        await live.stop()
    }

    /// `turnpike_config_reloads_total` by result, from the exposition text.
    static func reloads(_ server: TURNServer) -> [String: Int] {
        var buffer: [UInt8] = []
        server.metrics.registry.emit(into: &buffer)
        var counts: [String: Int] = [:]
        for line in String(decoding: buffer, as: UTF8.self).split(separator: "\n") where line.hasPrefix("turnpike_config_reloads_total{") {
            for result in ["applied", "rejected"] where line.contains("result=\"\(result)\"") {
                counts[result] = Int(line.split(separator: " ").last ?? "")
            }
        }
        return counts
    }

    @Test func aBadReloadIsLoggedAndTheRunningConfigurationStays() async throws {
        let ports = (try freePort(tcp: false), try freePort(tcp: true))
        let path = try writeYAML(Self.yaml(users: Self.alice, ports: ports))
        let sources = ConfigurationSources(filePath: path)
        var random = SeededGenerator(state: 4)
        let loaded = try #require(ServerConfiguration.load(from: sources, random: &random).value)
        let live = try await LiveServer.start(loaded.configuration, sources: sources)
        let alice = try await live.client(.udp)
        do {
            _ = try await alice.allocate()
            try "relay:\n  port-min: banana\n".write(toFile: path, atomically: true, encoding: .utf8)
            #expect(await live.server.reload() == false)
            #expect(live.logs.all.contains { $0.contains("reload rejected") && $0.contains("port-min") })
            #expect(Self.reloads(live.server) == ["applied": 0, "rejected": 1])
            #expect(live.server.configuration == loaded.configuration)
            // The running configuration still serves: alice refreshes, a new client allocates.
            #expect(try await alice.refresh(lifetime: 600).type.messageClass == .successResponse)
            let second = try await live.client(.udp)
            _ = try await second.allocate()
            await second.close()
        } catch {
            Issue.record(error)
        }
        await alice.close()
        await live.stop()
    }

    /// SIGHUP re-reads the TLS files: an unusable certificate rejects the whole reload and the
    /// running one keeps serving; a renewed one reloads and TLS clients keep allocating.
    @Test func aBadCertificateOnReloadIsRejectedAndARenewedOneReloads() async throws {
        let certificate = try makeSelfSignedCertificate()
        let ports = (try freePort(tcp: false), try freePort(tcp: true))
        let tlsPort = try freePort(tcp: true)
        let path = try writeYAML(Self.yaml(users: Self.alice, ports: ports, tls: (tlsPort, certificate)))
        let sources = ConfigurationSources(filePath: path)
        var random = SeededGenerator(state: 5)
        let loaded = try #require(ServerConfiguration.load(from: sources, random: &random).value)
        let live = try await LiveServer.start(loaded.configuration, sources: sources)
        do {
            let original = try String(contentsOfFile: certificate.certificatePath, encoding: .utf8)
            try "not a certificate".write(toFile: certificate.certificatePath, atomically: true, encoding: .utf8)
            #expect(await live.server.reload() == false)
            #expect(live.logs.all.contains { $0.contains("reload rejected") && $0.contains("certificate") })
            #expect(Self.reloads(live.server) == ["applied": 0, "rejected": 1])
            let before = try await live.client(.tls)
            _ = try await before.allocate()
            await before.close()

            // A renewed certificate (a new key pair written over the same files).
            let renewed = try makeSelfSignedCertificate()
            try FileManager.default.removeItem(atPath: certificate.certificatePath)
            try FileManager.default.removeItem(atPath: certificate.privateKeyPath)
            try FileManager.default.copyItem(atPath: renewed.certificatePath, toPath: certificate.certificatePath)
            try FileManager.default.copyItem(atPath: renewed.privateKeyPath, toPath: certificate.privateKeyPath)
            #expect(await live.server.reload())
            #expect(Self.reloads(live.server) == ["applied": 1, "rejected": 1])
            let after = try await live.client(.tls)
            _ = try await after.allocate()
            await after.close()
            #expect(original != (try String(contentsOfFile: certificate.certificatePath, encoding: .utf8)))
        } catch {
            Issue.record(error)
        }
        await live.stop()
    }
}
