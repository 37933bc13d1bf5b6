import Foundation
import Testing
import TURNCore
@testable import TURNServer

@Suite struct DevelopmentTests {
    @Test func noSourceGivesTheDevelopmentDefault() throws {
        var random = SeededGenerator(state: 42)
        let loaded = try #require(ServerConfiguration.resolve(from: ConfigurationSources(environment: ["HOME": "/root"]), random: &random).value)
        #expect(loaded.isDevelopment)
        let configuration = loaded.configuration
        #expect(configuration.listeners.udp.map(\.description) == ["127.0.0.1:3478"])
        #expect(configuration.listeners.tcp.map(\.description) == ["127.0.0.1:3478"])
        #expect(configuration.listeners.tls.isEmpty)
        #expect(configuration.relay.ipv4?.description == "127.0.0.1")
        #expect(configuration.authentication.realm == "turnpike.local")
        guard case .password(let password) = try #require(configuration.authentication.users["dev"]) else {
            Issue.record("dev has no password")
            return
        }
        #expect(password.count == 24)
        #expect(configuration.authentication.nonceKey.count == 32)
        #expect(configuration.authentication.nonceKeyOrigin == .generated)
        #expect(configuration.validationErrors(checkingFiles: true).isEmpty)
        // Loopback peers are allowed in development only.
        let policy = PeerPolicy(allow: configuration.peers.allow, deny: configuration.peers.deny)
        #expect(policy.check(peer: .v4(.init(127, 0, 0, 1))) == .allowed)
    }

    @Test func passwordAndKeyComeFromTheInjectedGenerator() {
        var first = SeededGenerator(state: 7)
        var same = SeededGenerator(state: 7)
        var other = SeededGenerator(state: 8)
        let a = ServerConfiguration.development(random: &first)
        #expect(a == ServerConfiguration.development(random: &same))
        #expect(a.authentication != ServerConfiguration.development(random: &other).authentication)
    }

    @Test func anySourceDisablesTheDevelopmentDefault() throws {
        var random = SeededGenerator(state: 1)
        let fromEnvironment = ServerConfiguration.resolve(from: ConfigurationSources(environment: ["TURNPIKE_LOG_LEVEL": "debug"]), random: &random)
        // A production load: no relay address and no credential are errors, nothing is invented.
        let errors = try #require(fromEnvironment.failure)
        #expect(errors.errors.contains { $0.key == "auth.users/auth.shared-secrets" })
        let fromFlag = ServerConfiguration.resolve(from: ConfigurationSources(arguments: ["--log-level", "debug"]), random: &random)
        #expect(fromFlag.failure != nil)
    }

    @Test func onlyTheNonceKeyIsGeneratedWithAWarning() throws {
        let yaml = minimalYAML.replacingOccurrences(of: "  nonce-key: \"00112233445566778899aabbccddeeff\"\n", with: "")
        let loaded = try #require(try load(yaml: yaml).value)
        #expect(!loaded.isDevelopment)
        #expect(loaded.configuration.authentication.nonceKeyOrigin == .generated)
        #expect(loaded.configuration.authentication.nonceKey.count == 32)
        #expect(loaded.configuration.authentication.users.isEmpty)
        #expect(loaded.warnings.contains { $0.contains("auth.nonce-key") && $0.contains("share") })
    }

    @Test func bannerHasCredentialsClientLineAndICEServerJSON() throws {
        var random = SeededGenerator(state: 5)
        let configuration = ServerConfiguration.development(random: &random)
        guard case .password(let password) = configuration.authentication.users["dev"] else {
            Issue.record("dev has no password")
            return
        }
        let banner = configuration.developmentBanner()
        #expect(banner.contains("username   dev"))
        #expect(banner.contains("password   \(password)"))
        #expect(banner.contains("turnutils_uclient -u dev -w \(password) -p 3478 -e 127.0.0.2 -r 3480 127.0.0.1"))
        #expect(banner.contains("turnutils_peer -L 127.0.0.2 -p 3480"))
        let jsonLine = try #require(banner.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("{") })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(jsonLine.utf8)) as? [String: Any])
        #expect(object["username"] as? String == "dev")
        #expect(object["credential"] as? String == password)
        #expect(object["urls"] as? [String] == ["turn:127.0.0.1:3478?transport=udp", "turn:127.0.0.1:3478?transport=tcp"])
    }
}

@Suite struct CoreWiringTests {
    @Test func peerPolicyNeverRelaysToTheServerItself() throws {
        let configuration = try #require(try load(yaml: ValidationTests.merge(minimalYAML, "peers:\n  allow: [\"192.0.2.0/24\"]\n")).value).configuration
        let policy = configuration.peerPolicy()
        #expect(policy.check(peer: .v4(.init(192, 0, 2, 77))) == .allowed)
        #expect(policy.check(peer: .v4(.init(192, 0, 2, 10))) != .allowed)
        #expect(policy.check(peer: .v4(.init(10, 0, 0, 1))) != .allowed)
    }
}
