import STUNWire
import TURNCore

/// Reads each section of the configuration into its group, falling back to defaults, with
/// per-value checks; checks that span groups live in `ServerConfiguration+Validation`.
struct GroupLoader {
    var settings: SettingsReader
    var warnings: [String]

    typealias Defaults = ServerConfiguration.Defaults

    static let listenerExpected = "addresses with ports, such as 0.0.0.0:3478 or [::]:3478"
    static let portExpected = "a port number from 1 to 65535"
    static let countExpected = "a whole number, 0 or more (0 = unlimited)"
    /// RFC 8489 §14.14: SOFTWARE is fewer than 128 characters and at most 763 bytes.
    static let maximumSoftwareCharacters = 127
    static let maximumSoftwareBytes = 763
    /// RFC 8489 §14.9: REALM likewise.
    static let maximumRealmCharacters = 127
    static let maximumRealmBytes = 763
    static let maximumEventLoops = 1024
    static let maximumSocketBuffer: UInt64 = 1 << 30
    /// Linux IFNAMSIZ minus the terminating NUL.
    static let maximumInterfaceNameLength = 15
    static let eventLoopsAuto = "auto"
    static let generatedNonceKeyWarning = "auth.nonce-key is not set: a random nonce key was generated. Servers behind one name must share one key (set auth.nonce-key), or clients moving between them get 438 Stale Nonce."
    static let disabled = "off"

    mutating func read(fileUserNames: [String], nonceKeyIfUnset: [UInt8]) -> ServerConfiguration {
        let tls = readTLS()
        return ServerConfiguration(
            listeners: readListeners(tlsConfigured: tls != nil),
            tls: tls,
            relay: readRelay(),
            server: readServer(),
            authentication: readAuthentication(fileUserNames: fileUserNames, nonceKeyIfUnset: nonceKeyIfUnset),
            lifetimes: readLifetimes(),
            quotas: readQuotas(),
            peers: readPeers(),
            drain: readDrain(),
            xdp: readXDP(),
            http: readHTTP(),
            admin: readAdmin(),
            logging: readLogging(),
            streams: readStreams()
        )
    }

    // MARK: - Sections

    private mutating func readListeners(tlsConfigured: Bool) -> ServerConfiguration.Listeners {
        ServerConfiguration.Listeners(
            udp: settings.values(Settings.listenUDP, default: Defaults.udpListeners, expected: Self.listenerExpected, parse: Self.listener),
            tcp: settings.values(Settings.listenTCP, default: Defaults.tcpListeners, expected: Self.listenerExpected, parse: Self.listener),
            tls: settings.values(Settings.listenTLS, default: tlsConfigured ? Defaults.tlsListeners : [],
                                 expected: Self.listenerExpected, parse: Self.listener))
    }

    private mutating func readTLS() -> ServerConfiguration.TLS? {
        let certificate = settings.text(Settings.tlsCertificate)
        let key = settings.text(Settings.tlsPrivateKey)
        switch (certificate, key) {
        case (nil, nil):
            return nil
        case (let certificate?, let key?):
            return ServerConfiguration.TLS(certificatePath: certificate.value, privateKeyPath: key.value)
        case (_?, nil):
            settings.record(ConfigurationError(key: Settings.tlsPrivateKey.key, value: nil,
                                               expected: "a PEM private key file, required when tls.certificate is set"))
            return nil
        case (nil, let key?):
            settings.record(ConfigurationError(key: Settings.tlsCertificate.key, value: nil,
                                               expected: "a PEM certificate chain file, required when tls.private-key is set",
                                               source: key.source))
            return nil
        }
    }

    private mutating func readRelay() -> ServerConfiguration.Relay {
        let ipv4 = readIPv4(Settings.relayIPv4)
        let ipv6 = readIPv6(Settings.relayIPv6)
        let advertisedIPv4 = readIPv4(Settings.relayAdvertisedIPv4)
        let advertisedIPv6 = readIPv6(Settings.relayAdvertisedIPv6)
        let minimum = settings.value(Settings.relayPortMin, default: Defaults.relayPorts.lowerBound,
                                     expected: Self.portExpected, parse: Self.port)
        let maximum = settings.value(Settings.relayPortMax, default: Defaults.relayPorts.upperBound,
                                     expected: Self.portExpected, parse: Self.port)
        var ports = Defaults.relayPorts
        if minimum <= maximum {
            ports = minimum...maximum
        } else {
            settings.record(ConfigurationError(
                key: "relay.port-min/relay.port-max", value: "\(minimum)-\(maximum)",
                expected: "a range whose minimum is not above its maximum (the range is inverted)"))
        }
        return ServerConfiguration.Relay(ipv4: ipv4, ipv6: ipv6, advertisedIPv4: advertisedIPv4,
                                         advertisedIPv6: advertisedIPv6, ports: ports)
    }

    private mutating func readServer() -> ServerConfiguration.Server {
        let eventLoops = settings.value(
            Settings.serverEventLoops, default: ServerConfiguration.EventLoopCount.perCore,
            expected: "auto (one per core) or a number from 1 to \(Self.maximumEventLoops)"
        ) { text in
            if text == Self.eventLoopsAuto { return .perCore }
            guard let count = Int(text), (1...Self.maximumEventLoops).contains(count) else { return nil }
            return .fixed(count)
        }
        let bufferExpected = ByteSizeSyntax.expectedSize + ", at most 1GiB (0 = kernel default)"
        let bufferParse: (String) -> UInt64? = { text in
            ByteSizeSyntax.parseSize(text).flatMap { $0 <= Self.maximumSocketBuffer ? $0 : nil }
        }
        return ServerConfiguration.Server(
            eventLoops: eventLoops,
            receiveBufferBytes: settings.value(Settings.serverReceiveBuffer, default: Defaults.socketBufferBytes,
                                               expected: bufferExpected, parse: bufferParse),
            sendBufferBytes: settings.value(Settings.serverSendBuffer, default: Defaults.socketBufferBytes,
                                            expected: bufferExpected, parse: bufferParse),
            software: settings.optional(
                Settings.serverSoftware,
                expected: "text of fewer than 128 characters and at most 763 bytes (RFC 8489 §14.14)"
            ) { text in
                text.count <= Self.maximumSoftwareCharacters && text.utf8.count <= Self.maximumSoftwareBytes ? text : nil
            })
    }

    private mutating func readAuthentication(fileUserNames: [String], nonceKeyIfUnset: [UInt8]) -> ServerConfiguration.Authentication {
        let realm = settings.value(
            Settings.authRealm, default: Defaults.realm,
            expected: "text of fewer than 128 characters and at most 763 bytes (RFC 8489 §14.9)"
        ) { text in
            text.count <= Self.maximumRealmCharacters && text.utf8.count <= Self.maximumRealmBytes ? text : nil
        }
        var users = UserReader(settings: settings)
        let staticUsers = users.read(fileUserNames: fileUserNames)
        settings = users.settings
        let secrets = settings.values(Settings.authSharedSecrets, default: [], expected: "non-empty secret text") { $0 }
        for (index, secret) in secrets.enumerated() where secret.utf8.count < ServerConfiguration.minimumNonceKeyBytes {
            warnings.append("auth.shared-secrets[\(index)] is shorter than \(ServerConfiguration.minimumNonceKeyBytes) bytes; use a long random secret")
        }
        var nonceKey = nonceKeyIfUnset
        var origin = ServerConfiguration.NonceKeyOrigin.generated
        if let (text, source) = settings.text(Settings.authNonceKey) {
            if let configured = KeyMaterialSyntax.parse(text) {
                nonceKey = configured
                origin = .configured
            } else {
                settings.record(ConfigurationError(key: Settings.authNonceKey.key, value: ConfigurationError.redacted,
                                                   expected: KeyMaterialSyntax.expected, source: source))
            }
        } else {
            warnings.append(Self.generatedNonceKeyWarning)
        }
        let nonceLifetime = readDuration(Settings.authNonceLifetime, default: Defaults.nonceLifetime)
        let maxCredentialLifetime = readDuration(Settings.authMaxCredentialLifetime, default: Defaults.maxCredentialLifetime)
        return ServerConfiguration.Authentication(
            realm: realm, users: staticUsers, sharedSecrets: secrets,
            nonceKey: nonceKey, nonceKeyOrigin: origin, nonceLifetime: nonceLifetime,
            maxCredentialLifetime: maxCredentialLifetime)
    }

    private mutating func readLifetimes() -> ServerConfiguration.Lifetimes {
        ServerConfiguration.Lifetimes(
            allocationDefault: readDuration(Settings.lifetimeAllocationDefault, default: Defaults.allocationLifetime),
            allocationMaximum: readDuration(Settings.lifetimeAllocationMax, default: Defaults.allocationMaximumLifetime),
            permission: readDuration(Settings.lifetimePermission, default: Defaults.permissionLifetime),
            channel: readDuration(Settings.lifetimeChannel, default: Defaults.channelLifetime))
    }

    private mutating func readQuotas() -> ServerConfiguration.Quotas {
        let positive = "a whole number, 1 or more"
        return ServerConfiguration.Quotas(
            allocationsPerUser: readCount(Settings.quotaAllocationsPerUser, default: Defaults.allocationsPerUser),
            allocationsTotal: readCount(Settings.quotaAllocationsTotal, default: Defaults.allocationsTotal),
            permissionsPerAllocation: readCount(Settings.quotaPermissionsPerAllocation, default: Defaults.permissionsPerAllocation),
            bandwidthPerAllocation: settings.value(Settings.quotaBandwidthPerAllocation, default: Defaults.bandwidthUnlimited,
                                                   expected: ByteSizeSyntax.expectedRate, parse: ByteSizeSyntax.parseRate),
            bandwidthPerUser: settings.value(Settings.quotaBandwidthPerUser, default: Defaults.bandwidthUnlimited,
                                             expected: ByteSizeSyntax.expectedRate, parse: ByteSizeSyntax.parseRate),
            authReplyRate: settings.value(Settings.quotaAuthReplyRate, default: Defaults.authReplyRate, expected: positive) {
                UInt64($0).flatMap { $0 > 0 ? $0 : nil }
            },
            authReplyBurst: settings.value(Settings.quotaAuthReplyBurst, default: Defaults.authReplyBurst, expected: positive) {
                UInt64($0).flatMap { $0 > 0 ? $0 : nil }
            },
            amplificationRate: settings.value(Settings.quotaAmplificationRate, default: Defaults.amplificationRate,
                                              expected: "a rate such as 8KiB/s or bytes per second as an integer, 1 or more") {
                ByteSizeSyntax.parseRate($0).flatMap { $0 > 0 ? $0 : nil }
            },
            amplificationBurst: settings.value(
                Settings.quotaAmplificationBurst, default: Defaults.amplificationBurst,
                expected: "a byte count such as 64KiB, \(ServerConfiguration.minimumAmplificationBurst) or more"
            ) {
                ByteSizeSyntax.parseSize($0).flatMap { $0 >= ServerConfiguration.minimumAmplificationBurst ? $0 : nil }
            },
            authFailureBurst: settings.value(Settings.quotaAuthFailureBurst, default: Defaults.authFailureBurst, expected: positive) {
                UInt64($0).flatMap { $0 > 0 ? $0 : nil }
            },
            authFailureInterval: readDuration(Settings.quotaAuthFailureInterval, default: Defaults.authFailureInterval))
    }

    private mutating func readPeers() -> ServerConfiguration.PeerRules {
        let expected = "CIDR prefixes such as 10.0.0.0/8, 2001:db8::/32 or a bare address"
        return ServerConfiguration.PeerRules(
            allow: settings.values(Settings.peersAllow, default: [], expected: expected, parse: CIDR.init),
            deny: settings.values(Settings.peersDeny, default: [], expected: expected, parse: CIDR.init))
    }

    private mutating func readDrain() -> ServerConfiguration.Drain {
        ServerConfiguration.Drain(
            deadline: readDuration(Settings.drainDeadline, default: Defaults.drainDeadline),
            alternateServer: settings.optional(Settings.drainAlternateServer,
                                               expected: "an address with a port, such as 203.0.113.9:3478",
                                               parse: Self.listener))
    }

    private mutating func readXDP() -> ServerConfiguration.XDP {
        ServerConfiguration.XDP(
            mode: readEnum(Settings.xdpMode, default: Defaults.xdpMode),
            interfaces: settings.values(
                Settings.xdpInterfaces, default: [],
                expected: "network interface names (at most 15 characters, no '/', ':' or spaces)"
            ) { name in
                let valid = name.utf8.count <= Self.maximumInterfaceNameLength
                    && !name.contains(where: { $0 == "/" || $0 == ":" || $0.isWhitespace }) && name != "." && name != ".."
                return valid ? name : nil
            })
    }

    private mutating func readHTTP() -> ServerConfiguration.HTTP {
        let address = settings.value(
            Settings.httpAddress, default: Optional(Defaults.httpAddress),
            expected: "an address with a port, such as 127.0.0.1:9478, or off"
        ) { text -> TransportAddress?? in
            if text == Self.disabled { return .some(nil) }
            return Self.listener(text).map { .some($0) }
        }
        return ServerConfiguration.HTTP(address: address)
    }

    private mutating func readAdmin() -> ServerConfiguration.Admin {
        ServerConfiguration.Admin(
            socketPath: settings.value(Settings.adminSocket, default: Defaults.adminSocket, expected: "an absolute path") {
                $0.hasPrefix("/") ? $0 : nil
            },
            socketMode: settings.value(Settings.adminMode, default: Defaults.adminMode,
                                       expected: "octal permission bits such as 0600 or 0660") { text in
                guard !text.isEmpty, text.count <= 4, let mode = UInt16(text, radix: 8), mode <= 0o777 else { return nil }
                return mode
            })
    }

    private mutating func readLogging() -> ServerConfiguration.Logging {
        ServerConfiguration.Logging(level: readEnum(Settings.logLevel, default: Defaults.logLevel),
                                    format: readEnum(Settings.logFormat, default: Defaults.logFormat))
    }

    private mutating func readStreams() -> ServerConfiguration.Streams {
        let minimumQueue = ServerConfiguration.minimumStreamOutboundQueue
        return ServerConfiguration.Streams(
            idleTimeout: readDuration(Settings.streamsIdleTimeout, default: Defaults.streamIdleTimeout),
            maxConnections: settings.value(Settings.streamsMaxConnections, default: Defaults.maxStreamConnections,
                                           expected: "a whole number, 1 or more") { Int($0).flatMap { $0 > 0 ? $0 : nil } },
            maxConnectionsPerSource: readCount(Settings.streamsMaxConnectionsPerSource, default: Defaults.maxStreamConnectionsPerSource),
            handshakeTimeout: readDuration(Settings.streamsHandshakeTimeout, default: Defaults.streamHandshakeTimeout),
            outboundQueueBytes: settings.value(
                Settings.streamsOutboundQueue, default: Defaults.streamOutboundQueue,
                expected: "a byte count such as 256KiB, \(minimumQueue) or more"
            ) {
                ByteSizeSyntax.parseSize($0).flatMap { $0 >= minimumQueue ? $0 : nil }
            })
    }

    // MARK: - Value kinds

    private mutating func readDuration(_ setting: Setting, default defaultValue: Duration) -> Duration {
        settings.value(setting, default: defaultValue, expected: DurationSyntax.expected + ", above zero") {
            DurationSyntax.parse($0).flatMap { $0 > .zero ? $0 : nil }
        }
    }

    private mutating func readCount(_ setting: Setting, default defaultValue: Int) -> Int {
        settings.value(setting, default: defaultValue, expected: Self.countExpected) { Int($0).flatMap { $0 >= 0 ? $0 : nil } }
    }

    private mutating func readEnum<Value: RawRepresentable & CaseIterable>(
        _ setting: Setting, default defaultValue: Value
    ) -> Value where Value.RawValue == String {
        settings.value(setting, default: defaultValue,
                       expected: "one of " + Value.allCases.map(\.rawValue).joined(separator: ", "),
                       parse: Value.init(rawValue:))
    }

    private mutating func readIPv4(_ setting: Setting) -> IPv4Address? {
        readAddress(setting, family: "IPv4", parse: IPv4Address.init, otherFamily: { IPv6Address($0) != nil })
    }

    private mutating func readIPv6(_ setting: Setting) -> IPv6Address? {
        readAddress(setting, family: "IPv6", parse: IPv6Address.init, otherFamily: { IPv4Address($0) != nil })
    }

    /// An address of one family; one of the other family gets its own message, because
    /// per-family keys are easy to swap.
    private mutating func readAddress<Address>(
        _ setting: Setting, family: String, parse: (String) -> Address?, otherFamily: (String) -> Bool
    ) -> Address? {
        guard let (text, source) = settings.text(setting) else { return nil }
        if let address = parse(text) { return address }
        let expected = otherFamily(text)
            ? "an \(family) address: this one is of the other family"
            : "an \(family) address"
        settings.record(ConfigurationError(key: setting.key, value: text, expected: expected, source: source))
        return nil
    }

    static func listener(_ text: String) -> TransportAddress? {
        guard let address = TransportAddress(text), address.port != 0 else { return nil }
        return address
    }

    static func port(_ text: String) -> UInt16? {
        guard let port = UInt16(text), port != 0 else { return nil }
        return port
    }
}
