import STUNWire
import TURNCore

/// The core's policy values built from a configuration, so the server wires them one way.
extension ServerConfiguration {
    /// The peer policy: the operator's lists plus the server's own relay addresses (local and
    /// advertised), relay ports and client-facing and HTTP endpoints, which are never peers
    /// (DESIGN "Abuse resistance").
    public func peerPolicy() -> PeerPolicy {
        let relayAddresses: [IPAddress] = [relay.ipv4.map(IPAddress.v4), relay.ipv6.map(IPAddress.v6),
                                           relay.advertisedIPv4.map(IPAddress.v4), relay.advertisedIPv6.map(IPAddress.v6)]
            .compactMap { $0 }
        return PeerPolicy(allow: peers.allow, deny: peers.deny, ownRelayAddresses: relayAddresses,
                          relayPorts: relay.ports, serverEndpoints: listeners.all + [http.address].compactMap { $0 })
    }

    /// The nonce issuer for this key and lifetime (RFC 8489 §9.2.2).
    public func nonceIssuer() -> NonceIssuer {
        NonceIssuer(key: authentication.nonceKey, lifetime: authentication.nonceLifetime)
    }
}
