import NIOCore
import STUNWire

extension RelayCore {
    /// RFC 8656 §12.6: ChannelData from a client goes to the channel's peer if the channel is
    /// bound and the peer has a permission; otherwise it is dropped (counted). The hot path:
    /// dictionary lookups by small keys and a slice of the input, nothing allocated.
    mutating func handleChannelData(
        _ channel: ChannelNumber, payload: ByteBuffer, from fiveTuple: FiveTuple, now: Now
    ) -> RelayRoute {
        guard let id = allocationByTuple[fiveTuple], let allocation = allocations[id] else {
            drop(.noAllocation)
            return .none
        }
        guard let binding = allocation.channels[channel], binding.isBound(at: now.monotonic),
              let relay = allocation.relay(for: binding.peer.family) else {
            drop(.unboundChannel)
            return .none
        }
        guard allocation.hasPermission(for: binding.peer.ip, at: now.monotonic) else {
            drop(.noPermission)
            return .none
        }
        guard charge(payload.readableBytes, .toPeer, allocation: id, now: now.monotonic) else { return .none }
        if binding.peerIsOwnRelay {
            return deliverInternally(payload, from: relay, to: binding.peer, dontFragment: allocation.dontFragment, now: now)
        }
        return .toPeer(relayed: relay.local, peer: binding.peer, payload: payload, dontFragment: allocation.dontFragment)
    }

    /// A UDP datagram from a peer to a relayed transport address (RFC 8656 §11.3, §12.7): to the
    /// client as ChannelData when a channel is bound to the peer, else as a Data indication, and
    /// only if the peer has a permission.
    @discardableResult
    public mutating func handlePeerDatagram(
        _ payload: ByteBuffer, from peer: TransportAddress, to relayed: TransportAddress, now: Now
    ) -> RelayRoute {
        guard let id = allocationByRelay[RelayKey(family: relayed.family, port: relayed.port)] else {
            drop(.peerNoAllocation)
            return .none
        }
        return deliverFromPeer(payload, from: peer, to: id, now: now)
    }

    private mutating func deliverFromPeer(
        _ payload: ByteBuffer, from peer: TransportAddress, to id: AllocationID, now: Now
    ) -> RelayRoute {
        guard let allocation = allocations[id] else {
            drop(.peerNoAllocation)
            return .none
        }
        // §11.3: no permission for the source IP → discard.
        guard allocation.hasPermission(for: peer.ip, at: now.monotonic) else {
            drop(.peerNoPermission)
            return .none
        }
        guard charge(payload.readableBytes, .toClient, allocation: id, now: now.monotonic) else { return .none }
        // §12.7: a bound channel carries it as ChannelData.
        if let number = allocation.channelByPeer[peer], let binding = allocation.channels[number],
           binding.isBound(at: now.monotonic) {
            return .toClient(allocation.fiveTuple, channel: number, payload: payload)
        }
        // §11.3: otherwise a Data indication with XOR-PEER-ADDRESS and DATA.
        let indication = STUNMessage(
            type: MessageType(.data, .indication), transactionID: TransactionID.random(using: &random),
            attributes: [.xorPeerAddress(peer), .data(payload)])
        guard let bytes = try? indication.encode() else {
            drop(.dataTooLarge)
            return .none
        }
        actions.append(.relayToClient(allocation.fiveTuple, bytes))
        return .none
    }

    /// Traffic from one allocation to another's relayed address (DESIGN.md: both peers behind
    /// this relay): delivered as if it had arrived from the sender's advertised relayed address,
    /// when this core owns the destination; otherwise sent out for the shell to route.
    func deliverInternallyTarget(_ destination: TransportAddress) -> AllocationID? {
        guard let id = allocationByRelay[RelayKey(family: destination.family, port: destination.port)],
              let target = allocations[id]?.relay(for: destination.family),
              target.advertised.ip == destination.ip || target.local.ip == destination.ip else { return nil }
        return id
    }

    mutating func deliverInternally(
        _ payload: ByteBuffer, from sender: RelayedTransportAddress, to destination: TransportAddress,
        dontFragment: Bool, now: Now
    ) -> RelayRoute {
        guard let target = deliverInternallyTarget(destination) else {
            return .toPeer(relayed: sender.local, peer: destination, payload: payload, dontFragment: dontFragment)
        }
        return deliverFromPeer(payload, from: sender.advertised, to: target, now: now)
    }
}
