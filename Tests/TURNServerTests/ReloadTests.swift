import Foundation
import Testing
@testable import TURNServer

@Suite struct ReloadTests {
    static let initial = minimalYAML + """
      users:
        alice:
          password: first
    listen:
      udp: ["0.0.0.0:3478"]
      tcp: ["0.0.0.0:3478"]
    quotas:
      allocations-per-user: 10

    """

    func start(_ yaml: String) throws -> (ConfigurationSources, ServerConfiguration) {
        let path = try writeYAML(yaml)
        let sources = ConfigurationSources(filePath: path, environment: ["TURNPIKE_LOG_LEVEL": "debug"])
        var random = SeededGenerator(state: 9)
        let loaded = try #require(ServerConfiguration.load(from: sources, random: &random).value)
        return (sources, loaded.configuration)
    }

    @Test func reloadableGroupsApplyAndRestartOnlyGroupsKeepTheirRunningValues() throws {
        let (sources, current) = try start(Self.initial)
        let changed = Self.initial
            .replacingOccurrences(of: "password: first", with: "password: second")
            .replacingOccurrences(of: "allocations-per-user: 10", with: "allocations-per-user: 20")
            .replacingOccurrences(of: "udp: [\"0.0.0.0:3478\"]", with: "udp: [\"0.0.0.0:3479\"]")
            .replacingOccurrences(of: "ipv4: 192.0.2.10", with: "ipv4: 192.0.2.11")
        try changed.write(toFile: try #require(sources.filePath), atomically: true, encoding: .utf8)

        let reload = try #require(ServerConfiguration.reload(from: sources, current: current).value)
        #expect(reload.applied == [.users, .quotas])
        #expect(reload.restartRequired == [.listeners, .relay])
        #expect(reload.configuration.authentication.users["alice"] == .password("second"))
        #expect(reload.configuration.quotas.allocationsPerUser == 20)
        #expect(reload.configuration.listeners == current.listeners)
        #expect(reload.configuration.relay == current.relay)
        #expect(reload.configuration.logging.level == .debug)
        #expect(reload.warnings.contains { $0.hasPrefix("listen changed") })
        #expect(reload.warnings.contains { $0.hasPrefix("relay changed") })
    }

    @Test func unchangedSourcesChangeNothing() throws {
        let (sources, current) = try start(Self.initial)
        let reload = try #require(ServerConfiguration.reload(from: sources, current: current).value)
        #expect(reload.applied.isEmpty)
        #expect(reload.restartRequired.isEmpty)
        #expect(reload.configuration == current)
    }

    @Test func invalidNewFileIsRejectedWithEveryError() throws {
        let (sources, current) = try start(Self.initial)
        let broken = Self.initial
            .replacingOccurrences(of: "password: first", with: "password: second\n      key-md5: \"00112233445566778899aabbccddeeff\"")
            .replacingOccurrences(of: "allocations-per-user: 10", with: "allocations-per-user: lots")
        try broken.write(toFile: try #require(sources.filePath), atomically: true, encoding: .utf8)
        let errors = try #require(ServerConfiguration.reload(from: sources, current: current).failure)
        #expect(Set(errors.errors.map(\.key)).isSuperset(of: ["auth.users.alice", "quotas.allocations-per-user"]))
    }

    @Test func mergedResultIsValidatedAsAWhole() throws {
        // TLS listeners are restart-only; removing the certificate they need must be rejected
        // instead of producing a running configuration with TLS listeners and no certificate.
        let withTLS = Self.initial + "tls:\n  certificate: /x/cert.pem\n  private-key: /x/key.pem\n"
        let path = try writeYAML(withTLS)
        let sources = ConfigurationSources(filePath: path)
        var random = SeededGenerator(state: 2)
        let current = try #require(ServerConfiguration.load(from: sources, checkingFiles: false, random: &random).value).configuration
        #expect(!current.listeners.tls.isEmpty)
        try Self.initial.write(toFile: path, atomically: true, encoding: .utf8)
        let errors = try #require(ServerConfiguration.reload(from: sources, current: current, checkingFiles: false).failure)
        #expect(errors.errors.contains { $0.key == "listen.tls" })
    }

    @Test func generatedNonceKeySurvivesReload() throws {
        let yaml = Self.initial.replacingOccurrences(of: "  nonce-key: \"00112233445566778899aabbccddeeff\"\n", with: "")
        let (sources, current) = try start(yaml)
        #expect(current.authentication.nonceKeyOrigin == .generated)
        let reload = try #require(ServerConfiguration.reload(from: sources, current: current).value)
        #expect(reload.configuration.authentication.nonceKey == current.authentication.nonceKey)
        #expect(!reload.applied.contains(.nonce))
        #expect(!reload.warnings.contains { $0.contains("nonce-key is not set") })
    }
}
