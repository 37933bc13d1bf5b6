import STUNWire
import TURNCore

/// Everything `turnpike serve` needs to run, resolved and validated: a plain value, built by
/// `ServerConfiguration.load(from:)` from flags, `TURNPIKE_*` environment variables, a YAML file
/// and defaults (in that order of precedence), or by `development(random:)`. Each nested group
/// matches one top-level section of the YAML file; docs/configuration.md lists every setting.
public struct ServerConfiguration: Hashable, Sendable {
    public var listeners: Listeners
    public var tls: TLS?
    public var relay: Relay
    public var server: Server
    public var authentication: Authentication
    public var lifetimes: Lifetimes
    public var quotas: Quotas
    public var peers: PeerRules
    public var drain: Drain
    public var xdp: XDP
    public var http: HTTP
    public var admin: Admin
    public var logging: Logging
    public var streams: Streams

    public init(
        listeners: Listeners,
        tls: TLS?,
        relay: Relay,
        server: Server,
        authentication: Authentication,
        lifetimes: Lifetimes,
        quotas: Quotas,
        peers: PeerRules,
        drain: Drain,
        xdp: XDP,
        http: HTTP,
        admin: Admin,
        logging: Logging,
        streams: Streams
    ) {
        self.listeners = listeners
        self.tls = tls
        self.relay = relay
        self.server = server
        self.authentication = authentication
        self.lifetimes = lifetimes
        self.quotas = quotas
        self.peers = peers
        self.drain = drain
        self.xdp = xdp
        self.http = http
        self.admin = admin
        self.logging = logging
        self.streams = streams
    }
}

extension ServerConfiguration {
    /// The default STUN/TURN port over UDP and TCP (RFC 8489 §6, RFC 8656 §3.1).
    public static let defaultPort: UInt16 = 3478
    /// The default STUN/TURN port over TLS (RFC 8489 §6).
    public static let defaultTLSPort: UInt16 = 5349

    /// Client-facing sockets: where clients reach the server, per transport.
    public struct Listeners: Hashable, Sendable {
        public var udp: [TransportAddress]
        public var tcp: [TransportAddress]
        public var tls: [TransportAddress]

        public init(udp: [TransportAddress], tcp: [TransportAddress], tls: [TransportAddress]) {
            self.udp = udp
            self.tcp = tcp
            self.tls = tls
        }

        public var all: [TransportAddress] { udp + tcp + tls }
    }

    /// PEM files for the TLS listeners; re-read on reload.
    public struct TLS: Hashable, Sendable {
        public var certificatePath: String
        public var privateKeyPath: String

        public init(certificatePath: String, privateKeyPath: String) {
            self.certificatePath = certificatePath
            self.privateKeyPath = privateKeyPath
        }
    }

    /// Where relay sockets bind, what address clients are told (RFC 8656 §7.3 XOR-RELAYED-ADDRESS),
    /// and which ports relay sockets use. Listen, relay and advertised addresses are separate
    /// because cloud VMs sit behind 1:1 NAT: the socket binds a private address while clients
    /// and peers must use the public one.
    public struct Relay: Hashable, Sendable {
        public var ipv4: IPv4Address?
        public var ipv6: IPv6Address?
        public var advertisedIPv4: IPv4Address?
        public var advertisedIPv6: IPv6Address?
        public var ports: ClosedRange<UInt16>

        public init(
            ipv4: IPv4Address?,
            ipv6: IPv6Address?,
            advertisedIPv4: IPv4Address? = nil,
            advertisedIPv6: IPv6Address? = nil,
            ports: ClosedRange<UInt16> = PeerPolicy.defaultRelayPorts
        ) {
            self.ipv4 = ipv4
            self.ipv6 = ipv6
            self.advertisedIPv4 = advertisedIPv4
            self.advertisedIPv6 = advertisedIPv6
            self.ports = ports
        }

        /// The address a relayed transport address of `family` carries on the wire.
        public func publicAddress(for family: AddressFamily) -> IPAddress? {
            switch family {
            case .ipv4: (advertisedIPv4 ?? ipv4).map(IPAddress.v4)
            case .ipv6: (advertisedIPv6 ?? ipv6).map(IPAddress.v6)
            }
        }
    }

    /// Process-wide settings: threads, socket buffers and the SOFTWARE attribute.
    public struct Server: Hashable, Sendable {
        public var eventLoops: EventLoopCount
        /// SO_RCVBUF / SO_SNDBUF for relay and listener sockets; 0 leaves the kernel default.
        public var receiveBufferBytes: UInt64
        public var sendBufferBytes: UInt64
        /// RFC 8489 §14.14 SOFTWARE text; nil (the default) sends no SOFTWARE attribute, so the
        /// server does not advertise its version to scanners.
        public var software: String?

        public init(eventLoops: EventLoopCount, receiveBufferBytes: UInt64, sendBufferBytes: UInt64, software: String?) {
            self.eventLoops = eventLoops
            self.receiveBufferBytes = receiveBufferBytes
            self.sendBufferBytes = sendBufferBytes
            self.software = software
        }
    }

    /// How many event loops (each with its own core instance) the server runs.
    public enum EventLoopCount: Hashable, Sendable {
        /// One per CPU core.
        case perCore
        case fixed(Int)

        public func resolved(cores: Int) -> Int {
            switch self {
            case .perCore: max(1, cores)
            case .fixed(let count): count
            }
        }
    }

    /// Long-term credentials (RFC 8489 §9.2) and the nonce key (RFC 8489 §9.2.2 NONCE).
    public struct Authentication: Hashable, Sendable {
        public var realm: String
        public var users: [String: UserSecret]
        /// Shared secrets for the time-limited username scheme, newest first; all are accepted
        /// so a secret can be rotated without a flag day.
        public var sharedSecrets: [String]
        public var nonceKey: [UInt8]
        public var nonceKeyOrigin: NonceKeyOrigin
        public var nonceLifetime: Duration

        public init(
            realm: String,
            users: [String: UserSecret],
            sharedSecrets: [String],
            nonceKey: [UInt8],
            nonceKeyOrigin: NonceKeyOrigin,
            nonceLifetime: Duration
        ) {
            self.realm = realm
            self.users = users
            self.sharedSecrets = sharedSecrets
            self.nonceKey = nonceKey
            self.nonceKeyOrigin = nonceKeyOrigin
            self.nonceLifetime = nonceLifetime
        }
    }

    /// Whether the nonce key came from the configuration or was generated at start-up. A fleet
    /// behind one name must share a configured key, or a client's nonce from one server is
    /// stale (438) at the next.
    public enum NonceKeyOrigin: Hashable, Sendable {
        case configured
        case generated
    }

    /// RFC 8656 lifetimes: allocation default and maximum (§7.2, §7.3), permission (§9),
    /// channel binding (§12).
    public struct Lifetimes: Hashable, Sendable {
        public var allocationDefault: Duration
        public var allocationMaximum: Duration
        public var permission: Duration
        public var channel: Duration

        public init(allocationDefault: Duration, allocationMaximum: Duration, permission: Duration, channel: Duration) {
            self.allocationDefault = allocationDefault
            self.allocationMaximum = allocationMaximum
            self.permission = permission
            self.channel = channel
        }
    }

    /// Resource limits. A zero count or rate means unlimited, except the reply budget.
    public struct Quotas: Hashable, Sendable {
        public var allocationsPerUser: Int
        public var allocationsTotal: Int
        public var permissionsPerAllocation: Int
        /// Bytes per second relayed for one allocation, both directions together; 0 = unlimited.
        public var bandwidthPerAllocation: UInt64
        /// Bytes per second relayed for all of one user's allocations; 0 = unlimited.
        public var bandwidthPerUser: UInt64
        /// Token bucket per source address for 401 and 438 replies (replies per second, burst).
        public var authReplyRate: UInt64
        public var authReplyBurst: UInt64

        public init(
            allocationsPerUser: Int,
            allocationsTotal: Int,
            permissionsPerAllocation: Int,
            bandwidthPerAllocation: UInt64,
            bandwidthPerUser: UInt64,
            authReplyRate: UInt64,
            authReplyBurst: UInt64
        ) {
            self.allocationsPerUser = allocationsPerUser
            self.allocationsTotal = allocationsTotal
            self.permissionsPerAllocation = permissionsPerAllocation
            self.bandwidthPerAllocation = bandwidthPerAllocation
            self.bandwidthPerUser = bandwidthPerUser
            self.authReplyRate = authReplyRate
            self.authReplyBurst = authReplyBurst
        }
    }

    /// Operator CIDR lists layered on the built-in special-purpose deny list (see `PeerPolicy`).
    public struct PeerRules: Hashable, Sendable {
        public var allow: [CIDR]
        public var deny: [CIDR]

        public init(allow: [CIDR], deny: [CIDR]) {
            self.allow = allow
            self.deny = deny
        }
    }

    /// Graceful drain on SIGTERM: how long existing allocations may live on, and where new
    /// Allocates are sent (RFC 8489 §14.15 ALTERNATE-SERVER with a 300 response).
    public struct Drain: Hashable, Sendable {
        public var deadline: Duration
        public var alternateServer: TransportAddress?

        public init(deadline: Duration, alternateServer: TransportAddress?) {
            self.deadline = deadline
            self.alternateServer = alternateServer
        }
    }

    /// The kernel fast path.
    public struct XDP: Hashable, Sendable {
        public var mode: XDPMode
        /// Interfaces to attach to; empty with `auto` means the interfaces of the listen addresses.
        public var interfaces: [String]

        public init(mode: XDPMode, interfaces: [String]) {
            self.mode = mode
            self.interfaces = interfaces
        }
    }

    public enum XDPMode: String, Hashable, Sendable, CaseIterable {
        /// Userspace only.
        case off
        /// Native where the driver supports it, else generic, else userspace with a log line.
        case auto
        /// Driver mode only; failing to attach is an error.
        case native
        /// Generic (skb) mode only; failing to attach is an error.
        case generic
    }

    /// The Prometheus and health endpoint.
    public struct HTTP: Hashable, Sendable {
        /// Nil when disabled (`http.address: off`).
        public var address: TransportAddress?

        public init(address: TransportAddress?) {
            self.address = address
        }
    }

    /// The admin API's Unix socket.
    public struct Admin: Hashable, Sendable {
        public var socketPath: String
        /// Permission bits of the socket file (`0600` by default).
        public var socketMode: UInt16

        public init(socketPath: String, socketMode: UInt16) {
            self.socketPath = socketPath
            self.socketMode = socketMode
        }
    }

    public struct Logging: Hashable, Sendable {
        public var level: LogLevel
        public var format: LogFormat

        public init(level: LogLevel, format: LogFormat) {
            self.level = level
            self.format = format
        }
    }

    /// swift-log's levels, by their names.
    public enum LogLevel: String, Hashable, Sendable, CaseIterable {
        case trace, debug, info, notice, warning, error, critical
    }

    public enum LogFormat: String, Hashable, Sendable, CaseIterable {
        case text, json
    }

    /// Limits on TCP and TLS client connections (RFC 8656 §3.1).
    public struct Streams: Hashable, Sendable {
        /// A connection with no traffic and no allocation for this long is closed.
        public var idleTimeout: Duration
        /// Open TCP plus TLS connections at most; further accepts are closed at once.
        public var maxConnections: Int

        public init(idleTimeout: Duration, maxConnections: Int) {
            self.idleTimeout = idleTimeout
            self.maxConnections = maxConnections
        }
    }
}
