import Foundation
import Testing
@testable import TURNServer

/// The shipped example and the documentation cannot rot: the example must load and validate,
/// and every setting must appear in both with its three spellings documented.
@Suite struct ExampleFileTests {
    static let example = repositoryRoot.appendingPathComponent("deploy/turnpike.example.yaml").path
    static let documentation = repositoryRoot.appendingPathComponent("docs/configuration.md").path

    @Test func exampleFileLoadsAndValidates() throws {
        var random = SeededGenerator(state: 11)
        // Its certificate paths are examples, so file existence is not checked here.
        let result = ServerConfiguration.load(from: ConfigurationSources(filePath: Self.example), checkingFiles: false, random: &random)
        let loaded = try #require(result.value, "\(result.failure?.description ?? "")")
        let configuration = loaded.configuration
        #expect(configuration.listeners.tls.count == 2)
        #expect(configuration.authentication.users.count == 2)
        #expect(configuration.authentication.sharedSecrets.count == 2)
        #expect(configuration.authentication.nonceKeyOrigin == .configured)
        #expect(configuration.relay.advertisedIPv4?.description == "203.0.113.7")
        // Commented out in the example: a bandwidth limit keeps every channel off the XDP path.
        #expect(configuration.quotas.bandwidthPerAllocation == 0)
        #expect(configuration.quotas.amplificationRate == 8192)
        #expect(configuration.quotas.amplificationBurst == 65_536)
        #expect(configuration.quotas.authFailureBurst == 10)
        #expect(configuration.quotas.authFailureInterval == .seconds(5))
        #expect(configuration.authentication.maxCredentialLifetime == .seconds(2 * 86_400))
        #expect(configuration.logging.format == .json)
    }

    @Test func exampleFileShowsEverySetting() throws {
        let text = try String(contentsOfFile: Self.example, encoding: .utf8)
        for setting in Settings.all {
            let leaf = try #require(setting.components.last)
            #expect(text.contains("\(leaf):"), "\(setting.key) missing from the example file")
        }
    }

    @Test func documentationListsEverySettingWithItsSpellings() throws {
        let text = try String(contentsOfFile: Self.documentation, encoding: .utf8)
        for setting in Settings.all {
            #expect(text.contains("`\(setting.key)`"), "\(setting.key) missing from docs/configuration.md")
            #expect(text.contains("`\(setting.environmentVariable)`"), "\(setting.environmentVariable) missing")
            #expect(text.contains("`\(setting.flag)`"), "\(setting.flag) missing")
        }
    }

    @Test func documentationEmbedsTheExampleFile() throws {
        let documentation = try String(contentsOfFile: Self.documentation, encoding: .utf8)
        let example = try String(contentsOfFile: Self.example, encoding: .utf8)
        #expect(documentation.contains(example), "docs/configuration.md must contain deploy/turnpike.example.yaml verbatim")
    }
}
