import STUNWire
import Testing
@testable import TURNServer

@Suite struct PrecedenceTests {
    @Test func flagBeatsEnvironmentBeatsFile() throws {
        let yaml = minimalYAML.replacingOccurrences(of: "relay:\n", with: "relay:\n  port-min: 50000\n  port-max: 60000\n")
        let fileOnly = try #require(try load(yaml: yaml).value)
        #expect(fileOnly.configuration.relay.ports == 50000...60000)

        let environment = ["TURNPIKE_RELAY_PORT_MIN": "51000", "TURNPIKE_RELAY_PORT_MAX": "61000"]
        let withEnvironment = try #require(try load(yaml: yaml, environment: environment).value)
        #expect(withEnvironment.configuration.relay.ports == 51000...61000)

        let withFlag = try #require(try load(yaml: yaml, environment: environment, arguments: ["--relay-port-min", "52000"]).value)
        #expect(withFlag.configuration.relay.ports == 52000...61000)

        let withEqualsFlag = try #require(try load(yaml: yaml, environment: environment, arguments: ["--relay-port-max=62000"]).value)
        #expect(withEqualsFlag.configuration.relay.ports == 51000...62000)
    }

    @Test func defaultsApplyWhenNoSourceSetsAKey() throws {
        let loaded = try #require(try load(yaml: minimalYAML).value)
        let configuration = loaded.configuration
        #expect(configuration.relay.ports == 49152...65535)
        #expect(configuration.listeners.udp.map(\.description) == ["0.0.0.0:3478", "[::]:3478"])
        #expect(configuration.listeners.tcp.map(\.description) == ["0.0.0.0:3478", "[::]:3478"])
        #expect(configuration.listeners.tls.isEmpty)
        #expect(configuration.lifetimes.allocationDefault == .seconds(600))
        #expect(configuration.lifetimes.allocationMaximum == .seconds(3600))
        #expect(configuration.lifetimes.permission == .seconds(300))
        #expect(configuration.lifetimes.channel == .seconds(600))
        #expect(configuration.server.software == nil)
        #expect(configuration.server.eventLoops == .perCore)
        #expect(configuration.http.address?.description == "127.0.0.1:9478")
        #expect(configuration.logging.level == .info)
        #expect(configuration.authentication.nonceKeyOrigin == .configured)
        #expect(configuration.streams.maxConnectionsPerSource == 64)
        #expect(configuration.streams.handshakeTimeout == .seconds(10))
        #expect(configuration.streams.outboundQueueBytes == 256 << 10)
        #expect(loaded.warnings.isEmpty)
    }

    @Test func streamLimitsParse() throws {
        let yaml = minimalYAML + "streams:\n  max-connections-per-source: 0\n  handshake-timeout: 30s\n  outbound-queue: 1MiB\n"
        let streams = try #require(try load(yaml: yaml).value).configuration.streams
        #expect(streams.maxConnectionsPerSource == 0)
        #expect(streams.handshakeTimeout == .seconds(30))
        #expect(streams.outboundQueueBytes == 1 << 20)
        let flagged = try #require(try load(yaml: yaml, arguments: ["--streams-outbound-queue", "128KiB"]).value)
        #expect(flagged.configuration.streams.outboundQueueBytes == 128 << 10)
    }

    @Test func tlsListenersDefaultOnWhenACertificateIsConfigured() throws {
        let yaml = minimalYAML + "tls:\n  certificate: /nonexistent/cert.pem\n  private-key: /nonexistent/key.pem\n"
        let loaded = try #require(try load(yaml: yaml, checkingFiles: false).value)
        #expect(loaded.configuration.listeners.tls.map(\.description) == ["0.0.0.0:5349", "[::]:5349"])
    }

    @Test func listsFromEachSource() throws {
        let yaml = minimalYAML + "peers:\n  allow: [\"10.1.0.0/16\"]\n"
        let fromFile = try #require(try load(yaml: yaml).value)
        #expect(fromFile.configuration.peers.allow.map(\.description) == ["10.1.0.0/16"])
        let fromEnvironment = try #require(try load(yaml: yaml, environment: ["TURNPIKE_PEERS_ALLOW": "10.2.0.0/16, 10.3.0.0/16"]).value)
        #expect(fromEnvironment.configuration.peers.allow.map(\.description) == ["10.2.0.0/16", "10.3.0.0/16"])
        let fromFlags = try #require(try load(yaml: yaml, arguments: ["--peers-allow", "10.4.0.0/16", "--peers-allow", "fd00::/8"]).value)
        #expect(fromFlags.configuration.peers.allow.map(\.description) == ["10.4.0.0/16", "fd00::/8"])
    }

    @Test func environmentAndFlagsAloneConfigureAServer() throws {
        let environment = [
            "TURNPIKE_RELAY_IPV4": "192.0.2.1",
            "TURNPIKE_AUTH_SHARED_SECRETS": "first-secret-0123456,second-secret-0123456",
            "TURNPIKE_AUTH_NONCE_KEY": "base64:AAECAwQFBgcICQoLDA0ODw==",
            "PATH": "/usr/bin",
        ]
        let loaded = try #require(try load(environment: environment, arguments: ["--auth-users", "carol:password:pa55"]).value)
        #expect(loaded.configuration.authentication.sharedSecrets == ["first-secret-0123456", "second-secret-0123456"])
        #expect(loaded.configuration.authentication.users == ["carol": .password("pa55")])
        #expect(loaded.configuration.authentication.nonceKey == Array(0..<16))
    }

    @Test func environmentOverridesOneFieldOfAFileUser() throws {
        let yaml = minimalYAML + "  users:\n    alice:\n      password: from-file\n"
        let fileOnly = try #require(try load(yaml: yaml).value)
        #expect(fileOnly.configuration.authentication.users["alice"] == .password("from-file"))
        let loaded = try #require(try load(yaml: yaml, environment: ["TURNPIKE_AUTH_USERS_ALICE_PASSWORD": "from-environment"]).value)
        #expect(loaded.configuration.authentication.users["alice"] == .password("from-environment"))
    }

    @Test func optionsParseFileAndSettingFlags() throws {
        let options = try ConfigurationOptions.parse(["--config", "/etc/turnpike.yaml", "--relay-port-min", "50000", "--log-level=debug"])
        let sources = options.sources(environment: ["TURNPIKE_LOG_FORMAT": "json"])
        #expect(sources.filePath == "/etc/turnpike.yaml")
        #expect(sources.arguments == ["--relay-port-min", "50000", "--log-level=debug"])
        let fromEnvironment = try ConfigurationOptions.parse([]).sources(environment: ["TURNPIKE_CONFIG": "/srv/t.yaml"])
        #expect(fromEnvironment.filePath == "/srv/t.yaml")
    }
}

@Suite struct SettingValueTests {
    @Test func httpCanBeTurnedOff() throws {
        let loaded = try #require(try load(yaml: minimalYAML, arguments: ["--http-address", "off"]).value)
        #expect(loaded.configuration.http.address == nil)
    }

    @Test func wordsThatYAMLTreatsAsBooleansStayWords() throws {
        let loaded = try #require(try load(yaml: minimalYAML + "xdp:\n  mode: off\n").value)
        #expect(loaded.configuration.xdp.mode == .off)
    }

    @Test func nonLoopbackMetricsAddressIsAWarning() throws {
        let loaded = try #require(try load(yaml: minimalYAML + "http:\n  address: 0.0.0.0:9478\n").value)
        #expect(loaded.warnings.contains { $0.hasPrefix("http.address 0.0.0.0:9478") })
    }

    @Test func sizesRatesAndEventLoops() throws {
        let yaml = minimalYAML + """
        server:
          event-loops: 4
          receive-buffer: 8MiB
          send-buffer: 0
          software: "turnpike"
        quotas:
          bandwidth-per-allocation: 100Mbit/s
          bandwidth-per-user: 1250000

        """
        let configuration = try #require(try load(yaml: yaml).value).configuration
        #expect(configuration.server.eventLoops == .fixed(4))
        #expect(configuration.server.receiveBufferBytes == 8 << 20)
        #expect(configuration.server.sendBufferBytes == 0)
        #expect(configuration.server.software == "turnpike")
        #expect(configuration.quotas.bandwidthPerAllocation == 12_500_000)
        #expect(configuration.quotas.bandwidthPerUser == 1_250_000)
    }
}
