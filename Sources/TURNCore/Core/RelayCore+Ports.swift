import STUNWire

extension RelayCore {
    /// Random candidates tried per family before giving up on finding a free port.
    static let portCandidates = 64

    /// Picks a free port per family of `allocate` (even when EVEN-PORT asks, RFC 8656 §7.2; with
    /// the next port free too for the R bit, appended last) and marks them in use.
    mutating func reserveRelayPorts(for allocate: PendingAllocation) -> [RelayedTransportAddress]? {
        var chosen: [RelayedTransportAddress] = []
        for family in allocate.families {
            guard let relayAddress = configuration.relayAddresses[family],
                  let port = freePort(family: family, even: allocate.evenPort, withNext: allocate.reserveNext) else {
                for relay in chosen { portsInUse.remove(relay.key) }
                return nil
            }
            let relay = Self.relayed(relayAddress, port: port)
            portsInUse.insert(relay.key)
            chosen.append(relay)
            if allocate.reserveNext {
                let next = Self.relayed(relayAddress, port: port + 1)
                portsInUse.insert(next.key)
                chosen.append(next)
            }
        }
        return chosen
    }

    private mutating func freePort(family: AddressFamily, even: Bool, withNext: Bool) -> UInt16? {
        let range = configuration.portRange
        for _ in 0..<Self.portCandidates {
            var port = UInt16.random(in: range, using: &random)
            if even {
                port &= ~1
                if port < range.lowerBound { continue }
            }
            guard !portsInUse.contains(RelayKey(family: family, port: port)) else { continue }
            if withNext {
                guard port < range.upperBound, !portsInUse.contains(RelayKey(family: family, port: port + 1)) else { continue }
            }
            return port
        }
        return nil
    }

    static func relayed(_ address: RelayAddress, port: UInt16) -> RelayedTransportAddress {
        RelayedTransportAddress(
            local: TransportAddress(ip: address.local, port: port),
            advertised: TransportAddress(ip: address.advertised, port: port))
    }
}
