import NIOCore
import STUNWire

extension RelayCore {
    /// RFC 8656 §11.2: a Send indication is relayed or silently dropped; never answered.
    mutating func handleSendIndication(_ message: STUNMessage, from fiveTuple: FiveTuple, now: Now) {
        // RFC 8489 §6.3.2: an indication with unknown comprehension-required attributes is dropped.
        guard message.unknownComprehensionRequired.isEmpty else {
            drop(.indicationUnknownAttribute)
            return
        }
        guard let id = allocationByTuple[fiveTuple], let allocation = allocations[id] else {
            drop(.noAllocation)
            return
        }
        // §11.2: XOR-PEER-ADDRESS and DATA are required.
        guard let peer = message.xorPeerAddresses.first, let payload = message.data else {
            drop(.malformedSend)
            return
        }
        // Port 0 is reserved (RFC 6335 §6): nothing is relayed to it.
        guard peer.port != Self.reservedPort else {
            drop(.peerPortZero)
            return
        }
        guard let relay = allocation.relay(for: peer.family) else {
            drop(.peerFamilyMismatch)
            return
        }
        // §11.2: only to a peer with a permission.
        guard allocation.hasPermission(for: peer.ip, at: now.monotonic) else {
            drop(.noPermission)
            return
        }
        // The peer policy judges every destination transport address (ports matter for the
        // server's own endpoints).
        let verdict = configuration.peerPolicy.check(destination: peer)
        if case .refused = verdict {
            drop(.peerRefused)
            return
        }
        guard charge(payload.readableBytes, .toPeer, allocation: id, now: now.monotonic) else { return }
        // §11.2: DONT-FRAGMENT in the indication (or granted with the allocation) sets DF.
        let dontFragment = allocation.dontFragment || message.contains(.dontFragment)
        let route: RelayRoute
        switch verdict {
        case .ownRelay:
            route = deliverInternally(payload, from: relay, to: peer, dontFragment: dontFragment, now: now)
        case .allowed, .refused:
            route = .toPeer(relayed: relay.local, peer: peer, payload: payload, dontFragment: dontFragment)
        }
        queue(route)
    }

    /// RFC 6335 §6: port 0 is reserved; no peer is ever sent anything on it.
    static let reservedPort: UInt16 = 0

    /// Turns a route found off the hot path into an action: ChannelData for the client is relayed
    /// data (`relayToClient`), which the shell may drop under backpressure.
    mutating func queue(_ route: RelayRoute) {
        switch route {
        case .none:
            break
        case .toPeer(let relayed, let peer, let payload, let dontFragment):
            actions.append(.sendToPeer(relayed: relayed, peer: peer, payload: payload, dontFragment: dontFragment))
        case .toClient(let fiveTuple, let channel, let payload):
            var bytes = ByteBuffer()
            ChannelData(channel: channel, payload: payload).encode(into: &bytes, padded: fiveTuple.transport.isStream)
            actions.append(.relayToClient(fiveTuple, bytes))
        }
    }

    /// Takes `bytes` from the allocation's and the user's budgets; false (counted) if either is
    /// spent. What is granted is counted as relayed in `direction`.
    mutating func charge(_ bytes: Int, _ direction: TrafficDirection, allocation id: AllocationID, now: Instant) -> Bool {
        let amount = UInt64(bytes)
        if configuration.bandwidthPerAllocation != nil || configuration.bandwidthPerUser != nil,
           let index = allocationBandwidth.index(forKey: id) {
            if configuration.bandwidthPerAllocation != nil,
               allocationBandwidth.values[index].allocation?.take(amount, now: now) == false {
                drop(.allocationBandwidth)
                return false
            }
            // The user's budget is shared by every core (`SharedTokenBucket`): one atomic update.
            if configuration.bandwidthPerUser != nil, allocationBandwidth.values[index].user?.take(amount, now: now) == false {
                drop(.userBandwidth)
                return false
            }
        }
        if let index = allocationTraffic.index(forKey: id) {
            allocationTraffic.values[index].record(direction, bytes: bytes, now: now)
        }
        traffic.record(direction, bytes: bytes)
        return true
    }
}
