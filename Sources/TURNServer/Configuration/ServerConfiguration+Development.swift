import Foundation
import STUNWire
import TURNCore

extension ServerConfiguration {
    public static let developmentUsername = "dev"
    public static let developmentRealm = "turnpike.local"
    public static let developmentAdminSocket = "/tmp/turnpike-admin.sock"
    static let developmentPasswordLength = 24
    private static let passwordAlphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
    /// turnutils_peer's default port, used in the banner's example.
    static let examplePeerPort = 3480

    /// What `turnpike serve` runs with no file, no `TURNPIKE_*` variable and no flag: UDP and TCP
    /// on 127.0.0.1:3478, relaying from 127.0.0.1, one user `dev` with a random password, a
    /// random nonce key. Loopback peers are allowed (the special-purpose deny list would refuse
    /// them) so the server can be tried against a peer on the same machine; it listens on
    /// loopback only, so nobody else can reach it.
    public static func development(random: inout some RandomNumberGenerator) -> ServerConfiguration {
        let loopback = IPv4Address(127, 0, 0, 1)
        let listener = TransportAddress(ip: .v4(loopback), port: defaultPort)
        let password = String((0..<developmentPasswordLength).map { _ in
            passwordAlphabet[Int.random(in: passwordAlphabet.indices, using: &random)]
        })
        let nonceKey = (0..<generatedNonceKeyBytes).map { _ in UInt8.random(in: .min ... .max, using: &random) }
        return ServerConfiguration(
            listeners: Listeners(udp: [listener], tcp: [listener], tls: []),
            tls: nil,
            relay: Relay(ipv4: loopback, ipv6: nil, ports: Defaults.relayPorts),
            server: Server(eventLoops: .perCore, receiveBufferBytes: Defaults.socketBufferBytes,
                           sendBufferBytes: Defaults.socketBufferBytes, software: nil),
            authentication: Authentication(
                realm: developmentRealm, users: [developmentUsername: .password(password)], sharedSecrets: [],
                nonceKey: nonceKey, nonceKeyOrigin: .generated, nonceLifetime: Defaults.nonceLifetime,
                maxCredentialLifetime: Defaults.maxCredentialLifetime),
            lifetimes: Lifetimes(allocationDefault: Defaults.allocationLifetime, allocationMaximum: Defaults.allocationMaximumLifetime,
                                 permission: Defaults.permissionLifetime, channel: Defaults.channelLifetime),
            quotas: Quotas(allocationsPerUser: Defaults.allocationsPerUser, allocationsTotal: Defaults.allocationsTotal,
                           permissionsPerAllocation: Defaults.permissionsPerAllocation,
                           bandwidthPerAllocation: Defaults.bandwidthUnlimited, bandwidthPerUser: Defaults.bandwidthUnlimited,
                           authReplyRate: Defaults.authReplyRate, authReplyBurst: Defaults.authReplyBurst,
                           amplificationRate: Defaults.amplificationRate, amplificationBurst: Defaults.amplificationBurst,
                           authFailureBurst: Defaults.authFailureBurst, authFailureInterval: Defaults.authFailureInterval),
            peers: PeerRules(allow: [CIDR(network: .v4(IPv4Address(127, 0, 0, 0)), prefixLength: 8)].compactMap { $0 }, deny: []),
            drain: Drain(deadline: Defaults.drainDeadline, alternateServer: nil),
            xdp: XDP(mode: .off, interfaces: []),
            http: HTTP(address: Defaults.httpAddress),
            admin: Admin(socketPath: developmentAdminSocket, socketMode: Defaults.adminMode),
            logging: Logging(level: Defaults.logLevel, format: Defaults.logFormat),
            streams: Streams(idleTimeout: Defaults.streamIdleTimeout, maxConnections: Defaults.maxStreamConnections))
    }

    /// The text `turnpike serve` prints when it starts on a configuration with a password user
    /// (the development default): credentials, a `turnutils_uclient` command line and an ICE
    /// server entry for a WebRTC app.
    public func developmentBanner() -> String {
        guard let (username, password) = authentication.users
            .sorted(by: { $0.key < $1.key })
            .lazy.compactMap({ entry -> (String, String)? in
                if case .password(let password) = entry.value { return (entry.key, password) }
                return nil
            }).first,
            let server = listeners.udp.first ?? listeners.tcp.first else {
            return "turnpike: no password user or UDP/TCP listener to describe"
        }
        let relayText = relay.publicAddress(for: .ipv4)?.description ?? relay.publicAddress(for: .ipv6)?.description ?? "-"
        let serverHost = server.ip.description
        // The peer policy never relays to the server's own address outside the relay port range,
        // so the example peer listens on the next loopback address (127.0.0.2 for 127.0.0.1).
        let peerHost: String
        switch server.ip {
        case .v4(let ip): peerHost = IPv4Address(rawValue: ip.rawValue &+ 1).description
        case .v6: peerHost = server.ip.description
        }
        var urls: [String] = []
        if let udp = listeners.udp.first { urls.append("turn:\(Self.urlHost(udp)):\(udp.port)?transport=udp") }
        if let tcp = listeners.tcp.first { urls.append("turn:\(Self.urlHost(tcp)):\(tcp.port)?transport=tcp") }
        let ice = ICEServer(urls: urls, username: username, credential: password)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let iceJSON = (try? encoder.encode(ice)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return """
        turnpike: no configuration given, running the development default.
          listening  UDP \(listeners.udp.map(\.description).joined(separator: ", ")), TCP \(listeners.tcp.map(\.description).joined(separator: ", "))
          relaying   from \(relayText), ports \(relay.ports.lowerBound)-\(relay.ports.upperBound); loopback peers allowed
          realm      \(authentication.realm)
          username   \(username)
          password   \(password)

        Try it with coturn's test client (start `turnutils_peer -L \(peerHost) -p \(Self.examplePeerPort)` first):
          turnutils_uclient -u \(username) -w \(password) -p \(server.port) -e \(peerHost) -r \(Self.examplePeerPort) \(serverHost)

        ICE server for a WebRTC app (RTCPeerConnection iceServers entry):
          \(iceJSON)

        The password and the nonce key are new at every start. For anything but local testing,
        write a configuration file: see docs/configuration.md and `turnpike check-config FILE`.
        """
    }

    private static func urlHost(_ address: TransportAddress) -> String {
        switch address.ip {
        case .v4: address.ip.description
        case .v6: "[\(address.ip)]"
        }
    }

    private struct ICEServer: Encodable {
        var urls: [String]
        var username: String
        var credential: String
    }
}
