/// The parts of a configuration a reload compares, and whether each can change while the
/// server runs. Sockets, addresses, threads and the XDP attachment are fixed at start-up;
/// credentials, policy, limits, lifetimes, TLS files and logging can change on SIGHUP.
public enum ConfigurationGroup: String, CaseIterable, Hashable, Sendable {
    case listeners = "listen"
    case tls
    case relay
    case server
    case realm = "auth.realm"
    case users = "auth.users"
    case sharedSecrets = "auth.shared-secrets"
    case nonce = "auth.nonce"
    case lifetimes
    case quotas
    case peers
    case drain
    case xdp
    case http
    case admin
    case logging = "log"
    case streams

    public var isReloadable: Bool {
        switch self {
        case .tls, .realm, .users, .sharedSecrets, .nonce, .lifetimes, .quotas, .peers, .drain, .logging, .streams:
            true
        case .listeners, .relay, .server, .xdp, .http, .admin:
            false
        }
    }
}

extension ServerConfiguration {
    /// Whether `self` and `other` differ in `group`.
    public func differs(from other: ServerConfiguration, in group: ConfigurationGroup) -> Bool {
        switch group {
        case .listeners: listeners != other.listeners
        case .tls: tls != other.tls
        case .relay: relay != other.relay
        case .server: server != other.server
        case .realm: authentication.realm != other.authentication.realm
        case .users: authentication.users != other.authentication.users
        case .sharedSecrets:
            authentication.sharedSecrets != other.authentication.sharedSecrets
                || authentication.maxCredentialLifetime != other.authentication.maxCredentialLifetime
        case .nonce:
            authentication.nonceKey != other.authentication.nonceKey
                || authentication.nonceLifetime != other.authentication.nonceLifetime
        case .lifetimes: lifetimes != other.lifetimes
        case .quotas: quotas != other.quotas
        case .peers: peers != other.peers
        case .drain: drain != other.drain
        case .xdp: xdp != other.xdp
        case .http: http != other.http
        case .admin: admin != other.admin
        case .logging: logging != other.logging
        case .streams: streams != other.streams
        }
    }

    /// `self` with `group` taken from `other`.
    func replacing(_ group: ConfigurationGroup, from other: ServerConfiguration) -> ServerConfiguration {
        var copy = self
        switch group {
        case .listeners: copy.listeners = other.listeners
        case .tls: copy.tls = other.tls
        case .relay: copy.relay = other.relay
        case .server: copy.server = other.server
        case .realm: copy.authentication.realm = other.authentication.realm
        case .users: copy.authentication.users = other.authentication.users
        case .sharedSecrets:
            copy.authentication.sharedSecrets = other.authentication.sharedSecrets
            copy.authentication.maxCredentialLifetime = other.authentication.maxCredentialLifetime
        case .nonce:
            copy.authentication.nonceKey = other.authentication.nonceKey
            copy.authentication.nonceKeyOrigin = other.authentication.nonceKeyOrigin
            copy.authentication.nonceLifetime = other.authentication.nonceLifetime
        case .lifetimes: copy.lifetimes = other.lifetimes
        case .quotas: copy.quotas = other.quotas
        case .peers: copy.peers = other.peers
        case .drain: copy.drain = other.drain
        case .xdp: copy.xdp = other.xdp
        case .http: copy.http = other.http
        case .admin: copy.admin = other.admin
        case .logging: copy.logging = other.logging
        case .streams: copy.streams = other.streams
        }
        return copy
    }
}
