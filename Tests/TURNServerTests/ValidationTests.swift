import Testing
@testable import TURNServer

@Suite struct ValidationTests {
    /// A file fragment added to `minimalYAML` (or replacing it when `replaces` is true), and text
    /// that one of the errors must contain.
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var yaml: String
        var expectedKey: String
        var expectedText: String
        var environment: [String: String] = [:]
        /// Use `yaml` as the whole file instead of merging it into `minimalYAML`.
        var standalone = false
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "inverted port range", yaml: "relay:\n  ipv4: 192.0.2.10\n  port-min: 60000\n  port-max: 50000\n",
             expectedKey: "relay.port-min/relay.port-max", expectedText: "inverted"),
        Case(name: "port out of range", yaml: "relay:\n  ipv4: 192.0.2.10\n  port-max: 70000\n",
             expectedKey: "relay.port-max", expectedText: "\"70000\""),
        Case(name: "unparsable CIDR", yaml: "peers:\n  deny: [\"10.0.0.0/8\", \"10.0.0.0/33\"]\n",
             expectedKey: "peers.deny[1]", expectedText: "CIDR"),
        Case(name: "TLS listener without certificate", yaml: "listen:\n  tls: [\"0.0.0.0:5349\"]\n",
             expectedKey: "listen.tls", expectedText: "tls.certificate"),
        Case(name: "certificate without key", yaml: "tls:\n  certificate: /x/cert.pem\n",
             expectedKey: "tls.private-key", expectedText: "required"),
        Case(name: "missing certificate file", yaml: "tls:\n  certificate: /nonexistent/cert.pem\n  private-key: /nonexistent/key.pem\n",
             expectedKey: "tls.certificate", expectedText: "readable"),
        Case(name: "unknown log level", yaml: "log:\n  level: loud\n", expectedKey: "log.level", expectedText: "trace, debug, info"),
        Case(name: "unknown log format", yaml: "log:\n  format: xml\n", expectedKey: "log.format", expectedText: "text, json"),
        Case(name: "IPv6 relay address in relay.ipv4", yaml: "relay:\n  ipv4: \"2001:db8::1\"\n",
             expectedKey: "relay.ipv4", expectedText: "other family"),
        Case(name: "IPv4 relay address in relay.ipv6", yaml: "relay:\n  ipv4: 192.0.2.10\n  ipv6: 192.0.2.11\n",
             expectedKey: "relay.ipv6", expectedText: "other family"),
        Case(name: "advertised address of the other family", yaml: "relay:\n  ipv4: 192.0.2.10\n  advertised-ipv4: \"2001:db8::9\"\n",
             expectedKey: "relay.advertised-ipv4", expectedText: "other family"),
        Case(name: "no relay address", yaml: "relay:\n  port-min: 50000\nauth:\n  shared-secrets: [\"0123456789abcdef0123\"]\n",
             expectedKey: "relay.ipv4/relay.ipv6", expectedText: "at least one", standalone: true),
        Case(name: "wildcard relay without advertised address", yaml: "relay:\n  ipv4: 0.0.0.0\n",
             expectedKey: "relay.ipv4", expectedText: "concrete"),
        Case(name: "user with password and key",
             yaml: "auth:\n  users:\n    alice:\n      password: x\n      key-sha256: \"\(String(repeating: "ab", count: 32))\"\n",
             expectedKey: "auth.users.alice", expectedText: "password and key-sha256"),
        Case(name: "user with neither password nor key", yaml: "auth:\n  users:\n    alice: {}\n",
             expectedKey: "auth.users.alice", expectedText: "one of password"),
        Case(name: "compact user given twice",
             yaml: "auth:\n  users: [\"bob:password:x\", \"bob:key-md5:00112233445566778899aabbccddeeff\"]\n",
             expectedKey: "auth.users[1]", expectedText: "appears again"),
        Case(name: "MD5 key of the wrong length", yaml: "auth:\n  users:\n    alice:\n      key-md5: \"0011\"\n",
             expectedKey: "auth.users.alice.key-md5", expectedText: "32 hex digits"),
        Case(name: "user name with a colon", yaml: "auth:\n  users: [\"a:b:password:x\"]\n",
             expectedKey: "auth.users[0]", expectedText: "NAME:password:SECRET"),
        Case(name: "nonce key too short", yaml: "auth:\n  nonce-key: \"0011223344556677\"\n",
             expectedKey: "auth.nonce-key", expectedText: "at least 16 bytes, but it has 8"),
        Case(name: "nonce key not hex or base64", yaml: "auth:\n  nonce-key: \"not a key!\"\n",
             expectedKey: "auth.nonce-key", expectedText: "hex or base64"),
        Case(name: "no credentials", yaml: "relay:\n  ipv4: 192.0.2.10\nauth:\n  realm: example.org\n",
             expectedKey: "auth.users/auth.shared-secrets", expectedText: "at least one", standalone: true),
        Case(name: "bad duration", yaml: "lifetimes:\n  permission: 5 minutes\n", expectedKey: "lifetimes.permission", expectedText: "30s"),
        Case(name: "zero duration", yaml: "lifetimes:\n  channel: 0s\n", expectedKey: "lifetimes.channel", expectedText: "above zero"),
        Case(name: "default lifetime above maximum", yaml: "lifetimes:\n  allocation-default: 2h\n",
             expectedKey: "lifetimes.allocation-default", expectedText: "at most lifetimes.allocation-max"),
        Case(name: "bad bandwidth", yaml: "quotas:\n  bandwidth-per-user: fast\n", expectedKey: "quotas.bandwidth-per-user", expectedText: "1MB/s"),
        Case(name: "negative quota", yaml: "quotas:\n  allocations-per-user: -1\n", expectedKey: "quotas.allocations-per-user", expectedText: "0 or more"),
        Case(name: "zero reply burst", yaml: "quotas:\n  auth-reply-burst: 0\n", expectedKey: "quotas.auth-reply-burst", expectedText: "1 or more"),
        Case(name: "zero amplification rate", yaml: "quotas:\n  amplification-rate: 0\n",
             expectedKey: "quotas.amplification-rate", expectedText: "1 or more"),
        Case(name: "amplification burst below a 401", yaml: "quotas:\n  amplification-burst: 1KiB\n",
             expectedKey: "quotas.amplification-burst", expectedText: "2048 or more"),
        Case(name: "zero failure burst", yaml: "quotas:\n  auth-failure-burst: 0\n",
             expectedKey: "quotas.auth-failure-burst", expectedText: "1 or more"),
        Case(name: "zero failure interval", yaml: "quotas:\n  auth-failure-interval: 0s\n",
             expectedKey: "quotas.auth-failure-interval", expectedText: "above zero"),
        Case(name: "bad credential lifetime", yaml: "auth:\n  max-credential-lifetime: forever\n",
             expectedKey: "auth.max-credential-lifetime", expectedText: "30s"),
        Case(name: "unknown XDP mode", yaml: "xdp:\n  mode: turbo\n", expectedKey: "xdp.mode", expectedText: "off, auto, native, generic"),
        Case(name: "native XDP without interfaces", yaml: "xdp:\n  mode: native\n", expectedKey: "xdp.interfaces", expectedText: "at least one interface"),
        Case(name: "admin socket open to others", yaml: "admin:\n  mode: \"0666\"\n", expectedKey: "admin.mode", expectedText: "nothing to other users"),
        Case(name: "relative admin socket", yaml: "admin:\n  socket: admin.sock\n", expectedKey: "admin.socket", expectedText: "absolute"),
        Case(name: "bad listener address", yaml: "listen:\n  udp: [\"0.0.0.0\"]\n", expectedKey: "listen.udp[0]", expectedText: "with ports"),
        Case(name: "list where one value is expected", yaml: "log:\n  level: [info, debug]\n", expectedKey: "log.level", expectedText: "single value"),
        Case(name: "value where a list is expected", yaml: "peers:\n  allow: 10.0.0.0/8\n", expectedKey: "peers.allow", expectedText: "list"),
        Case(name: "software too long", yaml: "server:\n  software: \"\(String(repeating: "x", count: 128))\"\n",
             expectedKey: "server.software", expectedText: "RFC 8489"),
        Case(name: "event loops zero", yaml: "server:\n  event-loops: 0\n", expectedKey: "server.event-loops", expectedText: "auto"),
        Case(name: "bad environment value", yaml: "", expectedKey: "streams.max-connections", expectedText: "1 or more",
             environment: ["TURNPIKE_STREAMS_MAX_CONNECTIONS": "many"]),
        Case(name: "outbound queue below one frame", yaml: "streams:\n  outbound-queue: 16KiB\n",
             expectedKey: "streams.outbound-queue", expectedText: "65536 or more"),
        Case(name: "negative per-source cap", yaml: "streams:\n  max-connections-per-source: -1\n",
             expectedKey: "streams.max-connections-per-source", expectedText: "0 or more"),
        Case(name: "zero handshake timeout", yaml: "streams:\n  handshake-timeout: 0s\n",
             expectedKey: "streams.handshake-timeout", expectedText: "above zero"),
    ]

    @Test(arguments: cases)
    func reportsError(_ testCase: Case) throws {
        // Merge the fragment's sections into the minimal file so only the intended error remains
        // (apart from those the fragment causes on purpose).
        let yaml = testCase.standalone ? testCase.yaml : Self.merge(minimalYAML, testCase.yaml)
        let errors = try #require(try load(yaml: yaml, environment: testCase.environment).failure, "\(testCase.name) was accepted")
        let matching = errors.errors.filter { $0.key == testCase.expectedKey && $0.description.contains(testCase.expectedText) }
        #expect(!matching.isEmpty, "\(testCase.name): got \(errors)")
    }

    @Test func reportsEveryErrorAtOnce() throws {
        let yaml = """
        relay:
          ipv4: "::1"
          port-min: 60000
          port-max: 50000
        auth:
          shared-secrets: ["0123456789abcdef0123"]
          nonce-key: "0011"
        peers:
          allow: ["10.0.0.0/33"]
        log:
          level: loud

        """
        let errors = try #require(try load(yaml: yaml).failure)
        let keys = Set(errors.errors.map(\.key))
        #expect(keys.isSuperset(of: ["relay.ipv4", "relay.port-min/relay.port-max", "auth.nonce-key", "peers.allow[0]", "log.level"]))
        #expect(errors.description.split(separator: "\n").count == errors.errors.count)
    }

    @Test func secretsAreNotEchoed() throws {
        let errors = try #require(try load(yaml: Self.merge(minimalYAML, "auth:\n  users: [\"eve:key-sha256:hunter2hunter2\"]\n")).failure)
        #expect(!errors.description.contains("hunter2"))
    }

    @Test func errorsNameTheSource() throws {
        let errors = try #require(try load(yaml: minimalYAML, arguments: ["--log-level", "loud"]).failure)
        #expect(errors.errors.contains { $0.source == "--log-level" })
        let fromEnvironment = try #require(try load(yaml: minimalYAML, environment: ["TURNPIKE_LOG_LEVEL": "loud"]).failure)
        #expect(fromEnvironment.errors.contains { $0.source == "TURNPIKE_LOG_LEVEL" })
    }

    /// `base` with each top-level section of `fragment` merged in, fragment keys winning.
    static func merge(_ base: String, _ fragment: String) -> String {
        func sections(_ text: String) -> [(String, [String])] {
            var result: [(String, [String])] = []
            for line in text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) {
                if !line.hasPrefix(" ") {
                    result.append((line, []))
                } else if !result.isEmpty {
                    result[result.count - 1].1.append(line)
                }
            }
            return result
        }
        var merged = sections(base)
        for (header, lines) in sections(fragment) {
            if let index = merged.firstIndex(where: { $0.0 == header }) {
                let overridden = Set(lines.compactMap { $0.hasPrefix("  ") && !$0.hasPrefix("   ") ? $0.split(separator: ":").first.map(String.init) : nil })
                merged[index].1 = merged[index].1.filter { line in
                    !(line.hasPrefix("  ") && !line.hasPrefix("   ") && overridden.contains(line.split(separator: ":").first.map(String.init) ?? ""))
                } + lines
            } else {
                merged.append((header, lines))
            }
        }
        return merged.map { ([$0.0] + $0.1).joined(separator: "\n") }.joined(separator: "\n") + "\n"
    }
}
