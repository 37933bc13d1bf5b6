import STUNWire

/// Which peers an allocation may reach (RFC 8656 §21.3 leaves this to the server; §17 and
/// §21 warn that a relay must not become a way into networks its clients could not reach).
///
/// The rules, in order, for the address and each IPv4 address it embeds (`EmbeddedIPv4`); an
/// address is refused if any of them is refused:
/// 1. a destination equal to a server endpoint is refused (`serverEndpoint`);
/// 2. one of `ownRelayAddresses` is `ownRelay` (for a destination, only on a port in
///    `relayPorts`; any other port of ours is a `serverEndpoint`);
/// 3. the `deny` list refuses (`denyList`), even what `allow` covers;
/// 4. the `allow` list allows, even what the special-purpose registry covers;
/// 5. the IANA special-purpose registries refuse (`specialPurpose`);
/// 6. anything else is allowed.
/// `64:ff9b:1::/48` is refused before all of these: its embedded IPv4 address cannot be located.
public struct PeerPolicy: Sendable {
    public let allow: [CIDR]
    public let deny: [CIDR]
    public let ownRelayAddresses: [IPAddress]
    public let relayPorts: ClosedRange<UInt16>
    public let serverEndpoints: [TransportAddress]

    /// The IANA dynamic and private port range (RFC 6335 §6), the RFC 8656 §7.2 default.
    public static let defaultRelayPorts: ClosedRange<UInt16> = 49152...65535

    public init(
        allow: [CIDR] = [], deny: [CIDR] = [], ownRelayAddresses: [IPAddress] = [],
        relayPorts: ClosedRange<UInt16> = PeerPolicy.defaultRelayPorts, serverEndpoints: [TransportAddress] = []
    ) {
        self.allow = allow
        self.deny = deny
        self.ownRelayAddresses = ownRelayAddresses
        self.relayPorts = relayPorts
        self.serverEndpoints = serverEndpoints
    }

    /// Permission level (CreatePermission, ChannelBind's peer IP): ports are irrelevant
    /// (RFC 8656 §9: permissions are per IP address).
    public func check(peer: IPAddress) -> PeerVerdict {
        verdict(for: peer, port: nil)
    }

    /// Per destination (each Send indication, a ChannelBind's peer transport address).
    public func check(destination: TransportAddress) -> PeerVerdict {
        verdict(for: destination.ip, port: destination.port)
    }

    private func verdict(for address: IPAddress, port: UInt16?) -> PeerVerdict {
        switch address {
        case .v4:
            return judge(address, port: port)
        case .v6(let v6):
            if SpecialPurposeRanges.localUseNAT64.contains(v6) { return .refused(.specialPurpose) }
            let direct = judge(address, port: port)
            if case .refused = direct { return direct }
            guard let embedded = EmbeddedIPv4.extract(from: v6) else { return direct }
            var combined = Self.combine(direct, judge(.v4(embedded.first), port: port))
            if let second = embedded.second {
                combined = Self.combine(combined, judge(.v4(second), port: port))
            }
            return combined
        }
    }

    /// A refusal wins (the first one found), then `ownRelay`, then `allowed`.
    private static func combine(_ lhs: PeerVerdict, _ rhs: PeerVerdict) -> PeerVerdict {
        switch (lhs, rhs) {
        case (.refused, _): lhs
        case (_, .refused): rhs
        case (.ownRelay, _), (_, .ownRelay): .ownRelay
        case (.allowed, .allowed): .allowed
        }
    }

    /// The rules for one address, without reduction.
    private func judge(_ address: IPAddress, port: UInt16?) -> PeerVerdict {
        let isOwn = ownRelayAddresses.contains(address)
        if let port {
            if isServerEndpoint(address, port: port, isOwn: isOwn) { return .refused(.serverEndpoint) }
            if isOwn { return relayPorts.contains(port) ? .ownRelay : .refused(.serverEndpoint) }
        } else if isOwn {
            return .ownRelay
        }
        if deny.contains(where: { $0.contains(address) }) { return .refused(.denyList) }
        if allow.contains(where: { $0.contains(address) }) { return .allowed }
        if SpecialPurposeRanges.contains(address) { return .refused(.specialPurpose) }
        return .allowed
    }

    /// An exact endpoint, or an endpoint listening on the unspecified address of the family
    /// (all of this host's addresses) when `address` is one of ours.
    private func isServerEndpoint(_ address: IPAddress, port: UInt16, isOwn: Bool) -> Bool {
        serverEndpoints.contains { endpoint in
            guard endpoint.port == port, endpoint.family == address.family else { return false }
            return endpoint.ip == address || (isOwn && Self.isUnspecified(endpoint.ip))
        }
    }

    private static func isUnspecified(_ address: IPAddress) -> Bool {
        switch address {
        case .v4(let v4): v4.rawValue == 0
        case .v6(let v6): v6.rawValue == 0
        }
    }
}
