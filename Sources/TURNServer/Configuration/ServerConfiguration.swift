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
}
