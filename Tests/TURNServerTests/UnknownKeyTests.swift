import Testing
@testable import TURNServer

@Suite struct UnknownKeyTests {
    @Test func misspeltFileKeyIsAnErrorWithASuggestion() throws {
        let errors = try #require(try load(yaml: minimalYAML + "quotas:\n  alocations-per-user: 5\n").failure)
        let error = try #require(errors.errors.first { $0.key == "quotas.alocations-per-user" })
        #expect(error.description.contains("did you mean quotas.allocations-per-user?"))
        #expect(error.source == "file line 8")
    }

    @Test func unknownSectionAndUnknownUserField() throws {
        let yaml = minimalYAML + "  users:\n    alice:\n      pasword: x\nmetrics:\n  port: 9\n"
        let errors = try #require(try load(yaml: yaml).failure)
        let keys = Set(errors.errors.map(\.key))
        #expect(keys.contains("metrics.port"))
        #expect(keys.contains("auth.users.alice.pasword"))
    }

    @Test func unknownFlagIsAnError() throws {
        let errors = try #require(try load(yaml: minimalYAML, arguments: ["--relay-port-mni", "5"]).failure)
        #expect(errors.errors.contains { $0.key == "--relay-port-mni" && $0.description.contains("--relay-port-min") })
    }

    @Test func unknownEnvironmentVariableIsAWarning() throws {
        let loaded = try #require(try load(yaml: minimalYAML, environment: ["TURNPIKE_LOG_LEVLE": "debug", "HOME": "/root"]).value)
        #expect(loaded.warnings.contains { $0.contains("TURNPIKE_LOG_LEVLE") && $0.contains("TURNPIKE_LOG_LEVEL") })
        #expect(!loaded.warnings.contains { $0.contains("HOME") })
    }

    @Test func malformedYAMLIsReported() throws {
        let errors = try #require(try load(yaml: "relay: [unclosed\n").failure)
        #expect(errors.errors.first?.key == "file")
    }

    @Test func commentOnlyFileUsesDefaultsAndStillNeedsRequiredSettings() throws {
        let errors = try #require(try load(yaml: "# nothing here\n").failure)
        #expect(errors.errors.contains { $0.key == "relay.ipv4/relay.ipv6" })
        #expect(!errors.errors.contains { $0.key == "file" })
    }

    @Test func missingFileIsReported() {
        var random = SeededGenerator(state: 3)
        let result = ServerConfiguration.load(from: ConfigurationSources(filePath: "/nonexistent/turnpike.yaml"), random: &random)
        #expect(result.failure?.errors.first?.key == "file")
    }

    @Test func everySettingHasDistinctSpellings() {
        #expect(Set(Settings.all.map(\.environmentVariable)).count == Settings.all.count)
        #expect(Set(Settings.all.map(\.flag)).count == Settings.all.count)
        #expect(Settings.relayPortMin.environmentVariable == "TURNPIKE_RELAY_PORT_MIN")
        #expect(Settings.relayPortMin.flag == "--relay-port-min")
    }
}
