import STUNWire
import TURNCore

/// Every default in one place; docs/configuration.md repeats them and a test checks it.
extension ServerConfiguration {
    public enum Defaults {
        public static let udpListeners = wildcardListeners(port: ServerConfiguration.defaultPort)
        public static let tcpListeners = wildcardListeners(port: ServerConfiguration.defaultPort)
        /// Only when `tls.certificate` is set.
        public static let tlsListeners = wildcardListeners(port: ServerConfiguration.defaultTLSPort)
        public static let relayPorts = PeerPolicy.defaultRelayPorts
        public static let socketBufferBytes: UInt64 = 4 << 20
        public static let realm = "turnpike.local"
        /// NonceIssuer's default: nonces older than this get 438 Stale Nonce (RFC 8489 §9.2.4).
        public static let nonceLifetime: Duration = .seconds(3600)
        /// CredentialStore's default: two days (24 h credentials plus clock skew).
        public static let maxCredentialLifetime = CredentialStore.defaultMaximumCredentialLifetime
        /// RFC 8656 §7.2: "the default lifetime ... 10 minutes"; §7.3: at most 3600 s.
        public static let allocationLifetime: Duration = .seconds(600)
        public static let allocationMaximumLifetime: Duration = .seconds(3600)
        /// RFC 8656 §9: permissions last 300 s.
        public static let permissionLifetime: Duration = .seconds(300)
        /// RFC 8656 §12: channel bindings last 10 minutes.
        public static let channelLifetime: Duration = .seconds(600)
        public static let allocationsPerUser = 100
        /// One per port of the default relay range.
        public static let allocationsTotal = 16_384
        public static let permissionsPerAllocation = 100
        public static let bandwidthUnlimited: UInt64 = 0
        public static let authReplyRate: UInt64 = 10
        public static let authReplyBurst: UInt64 = 20
        /// RelayConfiguration's defaults: 8 KiB/s and 64 KiB per event loop.
        public static let amplificationRate: UInt64 = 8 << 10
        public static let amplificationBurst: UInt64 = 64 << 10
        /// RelayConfiguration's defaults: 10 failures at once, then one every 5 s.
        public static let authFailureBurst: UInt64 = 10
        public static let authFailureInterval: Duration = .seconds(5)
        public static let drainDeadline: Duration = .seconds(600)
        /// The kernel fast path where it can attach, userspace elsewhere (docs/xdp.md); the
        /// development default (no configuration file) stays `off`.
        public static let xdpMode = XDPMode.auto
        public static let httpAddress = TransportAddress(ip: .v4(IPv4Address(127, 0, 0, 1)), port: 9478)
        public static let adminSocket = "/run/turnpike/admin.sock"
        public static let adminMode: UInt16 = 0o600
        public static let logLevel = LogLevel.info
        public static let logFormat = LogFormat.text
        public static let streamIdleTimeout: Duration = .seconds(300)
        public static let maxStreamConnections = 10_000
        /// A client needs one connection per allocation, a host or a small NAT a few dozen; one
        /// source then holds under 1% of `maxStreamConnections`.
        public static let maxStreamConnectionsPerSource = 64
        /// A TLS handshake takes a few round trips and a client's first request follows at once;
        /// 10 s leaves room for a slow mobile path and holds a silent connection only briefly.
        public static let streamHandshakeTimeout: Duration = .seconds(10)
        /// 256 KiB: about 100 ms of a 20 Mbit/s stream, a full burst of a video call over TURN/TLS
        /// on a long path. Relayed media queued longer than that is late anyway, and the kernel's
        /// socket buffer sits under it.
        public static let streamOutboundQueue: UInt64 = 256 << 10

        static func wildcardListeners(port: UInt16) -> [TransportAddress] {
            [TransportAddress(ip: .v4(IPv4Address(rawValue: 0)), port: port),
             TransportAddress(ip: .v6(IPv6Address(rawValue: 0)), port: port)]
        }
    }
}
