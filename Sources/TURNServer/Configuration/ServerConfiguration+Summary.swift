extension ServerConfiguration {
    /// One line saying what this configuration will do, with no secret in it.
    public var summary: String {
        var parts: [String] = []
        parts.append("listening UDP \(listeners.udp.count), TCP \(listeners.tcp.count), TLS \(listeners.tls.count)")
        let relayAddresses = [relay.ipv4.map { "\($0)" + (relay.advertisedIPv4.map { " as \($0)" } ?? "") },
                              relay.ipv6.map { "\($0)" + (relay.advertisedIPv6.map { " as \($0)" } ?? "") }]
            .compactMap { $0 }.joined(separator: " and ")
        parts.append("relay \(relayAddresses) ports \(relay.ports.lowerBound)-\(relay.ports.upperBound)")
        parts.append("realm \(authentication.realm)")
        parts.append("\(authentication.users.count) users, \(authentication.sharedSecrets.count) shared secrets")
        parts.append("nonce key \(authentication.nonceKeyOrigin == .configured ? "configured" : "generated")")
        parts.append("xdp \(xdp.mode.rawValue)")
        return parts.joined(separator: "; ")
    }
}
