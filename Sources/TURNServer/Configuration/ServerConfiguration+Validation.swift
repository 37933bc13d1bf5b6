import Foundation
import STUNWire
import TURNCore

/// Checks that span settings. Each returns every problem; none stops at the first.
extension ServerConfiguration {
    /// Problems that make the configuration unusable. With `checkingFiles`, the TLS certificate
    /// and key must be readable files.
    public func validationErrors(checkingFiles: Bool) -> [ConfigurationError] {
        var errors: [ConfigurationError] = []
        errors += listenerErrors()
        if let tls, checkingFiles {
            for (setting, path) in [(Settings.tlsCertificate, tls.certificatePath), (Settings.tlsPrivateKey, tls.privateKeyPath)]
                where !FileManager.default.isReadableFile(atPath: path) {
                errors.append(ConfigurationError(key: setting.key, value: path, expected: "a readable PEM file"))
            }
        }
        errors += relayErrors()
        errors += authenticationErrors()
        if lifetimes.allocationDefault > lifetimes.allocationMaximum {
            errors.append(ConfigurationError(
                key: Settings.lifetimeAllocationDefault.key, value: DurationSyntax.format(lifetimes.allocationDefault),
                expected: "at most lifetimes.allocation-max (\(DurationSyntax.format(lifetimes.allocationMaximum)))"))
        }
        if xdp.mode == .native || xdp.mode == .generic, xdp.interfaces.isEmpty {
            errors.append(ConfigurationError(key: Settings.xdpInterfaces.key, value: nil,
                                             expected: "at least one interface when xdp.mode is \(xdp.mode.rawValue)"))
        }
        if admin.socketMode & Self.otherUsersPermissionBits != 0 {
            errors.append(ConfigurationError(
                key: Settings.adminMode.key, value: String(admin.socketMode, radix: 8),
                expected: "a mode that grants nothing to other users (such as 0600 or 0660): the admin API can delete allocations"))
        }
        if let http = http.address, listeners.tcp.contains(http) || listeners.tls.contains(http) {
            errors.append(ConfigurationError(key: Settings.httpAddress.key, value: http.description,
                                             expected: "an address no TCP or TLS listener uses"))
        }
        return errors
    }

    /// Legal but probably unintended settings.
    public func validationWarnings() -> [String] {
        var warnings: [String] = []
        if let http = http.address, !http.ip.isLoopback {
            warnings.append("http.address \(http) is not a loopback address: /metrics and /readyz are reachable from the network")
        }
        if lifetimes.allocationMaximum > Defaults.allocationMaximumLifetime {
            warnings.append("lifetimes.allocation-max is above 3600 s, which RFC 8656 §7.2 advises against")
        }
        let families = (relay.ipv4 == nil ? 0 : 1) + (relay.ipv6 == nil ? 0 : 1)
        let capacity = relay.ports.count * max(families, 1)
        if quotas.allocationsTotal > capacity {
            warnings.append("quotas.allocations-total (\(quotas.allocationsTotal)) exceeds the \(capacity) relay ports available; the port range is the real limit")
        }
        return warnings
    }

    /// Bits of a Unix mode that grant access to users outside the owner and group.
    static let otherUsersPermissionBits: UInt16 = 0o007

    private func listenerErrors() -> [ConfigurationError] {
        var errors: [ConfigurationError] = []
        if listeners.all.isEmpty {
            errors.append(ConfigurationError(key: "listen", value: nil, expected: "at least one UDP, TCP or TLS listener"))
        }
        if !listeners.tls.isEmpty, tls == nil {
            errors.append(ConfigurationError(key: Settings.listenTLS.key, value: listeners.tls.map(\.description).joined(separator: ","),
                                             expected: "TLS listeners only together with tls.certificate and tls.private-key"))
        }
        for (setting, addresses) in [(Settings.listenUDP, listeners.udp), (Settings.listenTCP, listeners.tcp), (Settings.listenTLS, listeners.tls)] {
            var seen: Set<TransportAddress> = []
            for address in addresses where !seen.insert(address).inserted {
                errors.append(ConfigurationError(key: setting.key, value: address.description, expected: "each address once"))
            }
        }
        for address in listeners.tcp where listeners.tls.contains(address) {
            errors.append(ConfigurationError(key: Settings.listenTLS.key, value: address.description,
                                             expected: "an address not also used by a TCP listener"))
        }
        return errors
    }

    private func relayErrors() -> [ConfigurationError] {
        var errors: [ConfigurationError] = []
        if relay.ipv4 == nil, relay.ipv6 == nil {
            errors.append(ConfigurationError(key: "relay.ipv4/relay.ipv6", value: nil,
                                             expected: "at least one relay address, the address relay sockets bind to"))
        }
        if relay.advertisedIPv4 != nil, relay.ipv4 == nil {
            errors.append(ConfigurationError(key: Settings.relayAdvertisedIPv4.key, value: relay.advertisedIPv4?.description,
                                             expected: "set only together with relay.ipv4"))
        }
        if relay.advertisedIPv6 != nil, relay.ipv6 == nil {
            errors.append(ConfigurationError(key: Settings.relayAdvertisedIPv6.key, value: relay.advertisedIPv6?.description,
                                             expected: "set only together with relay.ipv6"))
        }
        // RFC 8656 §7.3: XOR-RELAYED-ADDRESS must be an address peers can send to.
        if let ipv4 = relay.ipv4, ipv4.rawValue == 0, relay.advertisedIPv4 == nil {
            errors.append(ConfigurationError(key: Settings.relayIPv4.key, value: ipv4.description,
                                             expected: "a concrete address, or set relay.advertised-ipv4 (clients are told this address)"))
        }
        if let ipv6 = relay.ipv6, ipv6.rawValue == 0, relay.advertisedIPv6 == nil {
            errors.append(ConfigurationError(key: Settings.relayIPv6.key, value: ipv6.description,
                                             expected: "a concrete address, or set relay.advertised-ipv6 (clients are told this address)"))
        }
        return errors
    }

    private func authenticationErrors() -> [ConfigurationError] {
        var errors: [ConfigurationError] = []
        if authentication.users.isEmpty, authentication.sharedSecrets.isEmpty {
            errors.append(ConfigurationError(key: "auth.users/auth.shared-secrets", value: nil,
                                             expected: "at least one static user or shared secret, or nobody can allocate"))
        }
        if authentication.nonceKey.count < Self.minimumNonceKeyBytes {
            errors.append(ConfigurationError(key: Settings.authNonceKey.key, value: ConfigurationError.redacted,
                                             expected: "at least \(Self.minimumNonceKeyBytes) bytes, but it has \(authentication.nonceKey.count)"))
        }
        // RFC 8489 §9.2.2: realm, usernames and passwords go through SASLprep (OpaqueString);
        // the credential store derives every key and reports the first it cannot.
        do {
            _ = try credentialStore()
        } catch {
            errors.append(ConfigurationError(key: "auth", value: nil, expected: "credentials usable with the realm: \(error.diagnostics)"))
        }
        return errors
    }

    /// The core's credential store for these settings.
    public func credentialStore() throws(WireError) -> CredentialStore {
        try CredentialStore(realm: authentication.realm, users: authentication.users,
                            sharedSecrets: authentication.sharedSecrets.map { Array($0.utf8) },
                            maximumCredentialLifetime: authentication.maxCredentialLifetime)
    }
}

extension IPAddress {
    /// 127.0.0.0/8, ::1, or an IPv4-mapped loopback address.
    var isLoopback: Bool {
        switch self {
        case .v4(let address): address.rawValue >> 24 == 127
        case .v6(let address): address.rawValue == 1 || address.rawValue >> 24 == 0xFFFF_7F
        }
    }
}
