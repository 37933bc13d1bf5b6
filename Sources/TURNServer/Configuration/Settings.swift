/// The catalogue of every key `ServerConfiguration` reads, by YAML section. Unknown-key checks,
/// `check-config` and the documentation test all use this list, so a setting added here and
/// not documented fails a test.
public enum Settings {
    public static let listenUDP = Setting("listen.udp", .list)
    public static let listenTCP = Setting("listen.tcp", .list)
    public static let listenTLS = Setting("listen.tls", .list)

    public static let tlsCertificate = Setting("tls.certificate")
    public static let tlsPrivateKey = Setting("tls.private-key")

    public static let relayIPv4 = Setting("relay.ipv4")
    public static let relayIPv6 = Setting("relay.ipv6")
    public static let relayAdvertisedIPv4 = Setting("relay.advertised-ipv4")
    public static let relayAdvertisedIPv6 = Setting("relay.advertised-ipv6")
    public static let relayPortMin = Setting("relay.port-min")
    public static let relayPortMax = Setting("relay.port-max")

    public static let serverEventLoops = Setting("server.event-loops")
    public static let serverReceiveBuffer = Setting("server.receive-buffer")
    public static let serverSendBuffer = Setting("server.send-buffer")
    public static let serverSoftware = Setting("server.software")

    public static let authRealm = Setting("auth.realm")
    /// Compact user entries (`NAME:password:SECRET`, `NAME:key-md5:HEX`, `NAME:key-sha256:HEX`);
    /// in the YAML file `auth.users` may instead be a mapping (see `UserFields`).
    public static let authUsers = Setting("auth.users", .list, secret: true)
    public static let authSharedSecrets = Setting("auth.shared-secrets", .list, secret: true)
    public static let authNonceKey = Setting("auth.nonce-key", secret: true)
    public static let authNonceLifetime = Setting("auth.nonce-lifetime")
    public static let authMaxCredentialLifetime = Setting("auth.max-credential-lifetime")

    public static let lifetimeAllocationDefault = Setting("lifetimes.allocation-default")
    public static let lifetimeAllocationMax = Setting("lifetimes.allocation-max")
    public static let lifetimePermission = Setting("lifetimes.permission")
    public static let lifetimeChannel = Setting("lifetimes.channel")

    public static let quotaAllocationsPerUser = Setting("quotas.allocations-per-user")
    public static let quotaAllocationsTotal = Setting("quotas.allocations-total")
    public static let quotaPermissionsPerAllocation = Setting("quotas.permissions-per-allocation")
    public static let quotaBandwidthPerAllocation = Setting("quotas.bandwidth-per-allocation")
    public static let quotaBandwidthPerUser = Setting("quotas.bandwidth-per-user")
    public static let quotaAuthReplyRate = Setting("quotas.auth-reply-rate")
    public static let quotaAuthReplyBurst = Setting("quotas.auth-reply-burst")
    public static let quotaAmplificationRate = Setting("quotas.amplification-rate")
    public static let quotaAmplificationBurst = Setting("quotas.amplification-burst")
    public static let quotaAuthFailureBurst = Setting("quotas.auth-failure-burst")
    public static let quotaAuthFailureInterval = Setting("quotas.auth-failure-interval")

    public static let peersAllow = Setting("peers.allow", .list)
    public static let peersDeny = Setting("peers.deny", .list)

    public static let drainDeadline = Setting("drain.deadline")
    public static let drainAlternateServer = Setting("drain.alternate-server")

    public static let xdpMode = Setting("xdp.mode")
    public static let xdpInterfaces = Setting("xdp.interfaces", .list)

    public static let httpAddress = Setting("http.address")

    public static let adminSocket = Setting("admin.socket")
    public static let adminMode = Setting("admin.mode")

    public static let logLevel = Setting("log.level")
    public static let logFormat = Setting("log.format")

    public static let streamsIdleTimeout = Setting("streams.idle-timeout")
    public static let streamsMaxConnections = Setting("streams.max-connections")
    public static let streamsMaxConnectionsPerSource = Setting("streams.max-connections-per-source")
    public static let streamsHandshakeTimeout = Setting("streams.handshake-timeout")
    public static let streamsOutboundQueue = Setting("streams.outbound-queue")

    public static let all: [Setting] = [
        listenUDP, listenTCP, listenTLS,
        tlsCertificate, tlsPrivateKey,
        relayIPv4, relayIPv6, relayAdvertisedIPv4, relayAdvertisedIPv6, relayPortMin, relayPortMax,
        serverEventLoops, serverReceiveBuffer, serverSendBuffer, serverSoftware,
        authRealm, authUsers, authSharedSecrets, authNonceKey, authNonceLifetime, authMaxCredentialLifetime,
        lifetimeAllocationDefault, lifetimeAllocationMax, lifetimePermission, lifetimeChannel,
        quotaAllocationsPerUser, quotaAllocationsTotal, quotaPermissionsPerAllocation,
        quotaBandwidthPerAllocation, quotaBandwidthPerUser, quotaAuthReplyRate, quotaAuthReplyBurst,
        quotaAmplificationRate, quotaAmplificationBurst, quotaAuthFailureBurst, quotaAuthFailureInterval,
        peersAllow, peersDeny,
        drainDeadline, drainAlternateServer,
        xdpMode, xdpInterfaces,
        httpAddress,
        adminSocket, adminMode,
        logLevel, logFormat,
        streamsIdleTimeout, streamsMaxConnections, streamsMaxConnectionsPerSource, streamsHandshakeTimeout,
        streamsOutboundQueue,
    ]

    static let byKey: [String: Setting] = Dictionary(uniqueKeysWithValues: all.map { ($0.key, $0) })
    static let byFlag: [String: Setting] = Dictionary(uniqueKeysWithValues: all.map { ($0.flag, $0) })
    static let byEnvironmentVariable: [String: Setting] =
        Dictionary(uniqueKeysWithValues: all.map { ($0.environmentVariable, $0) })
}

/// The fields of one user in the mapping form of `auth.users`:
/// `auth.users.NAME.password`, `auth.users.NAME.key-md5` or `auth.users.NAME.key-sha256`.
public enum UserFields: String, CaseIterable, Sendable {
    case password
    case keyMD5 = "key-md5"
    case keySHA256 = "key-sha256"

    static let usersPath = ["auth", "users"]

    /// The full key of this field for user `name`.
    func key(user name: String) -> [String] { Self.usersPath + [name, rawValue] }
}
