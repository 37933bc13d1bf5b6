import Logging
import NIOCore
import STUNWire
import TURNCore

extension RelayWorker {
    /// The hot path's result: the payload is a slice of the received buffer and the
    /// destination's `SocketAddress` comes from the cache; only ChannelData towards a client
    /// needs a buffer of its own (see `framing`).
    func perform(_ route: RelayRoute) {
        switch route {
        case .none:
            break
        case .toPeer(let relayed, let peer, let payload, _):
            sendToPeer(relayed: relayed, peer: peer, payload: payload)
        case .toClient(let fiveTuple, let channel, let payload):
            sendToClient(fiveTuple, framing(channel, payload, padded: fiveTuple.transport.isStream), cacheAddress: true, relayed: true)
        }
    }

    /// RFC 8656 §12.4: channel number, length, payload; padded to 4 bytes on streams (§12.5).
    ///
    /// Each frame gets a buffer of its own. Framing into one shared scratch buffer looked cheaper,
    /// but a frame's slice waits in the channel's write queue until the batch is flushed, so the
    /// next append found the storage shared and ByteBuffer copied all of it (copy-on-write):
    /// perf showed 30 % of the relay's cycles in memmove and page faults, about 10 µs a packet.
    func framing(_ channel: ChannelNumber, _ payload: ByteBuffer, padded: Bool) -> ByteBuffer {
        var frame = ByteBufferAllocator().buffer(capacity: ChannelData.headerLength + payload.readableBytes + 3)
        ChannelData(channel: channel, payload: payload).encode(into: &frame, padded: padded)
        return frame
    }

    /// `cacheAddress` only for a client that holds an allocation: a reply to an unauthenticated
    /// request must not leave an entry behind, or a flood from spoofed sources would fill the
    /// cache (per-source state before authentication; found by tests/hardening's floods).
    /// `relayed`: ChannelData or a Data indication, which a stream may drop (`sendToStream`).
    func sendToClient(_ fiveTuple: FiveTuple, _ bytes: ByteBuffer, cacheAddress: Bool, relayed: Bool = false) {
        switch fiveTuple.transport {
        case .udp:
            guard let outlet = datagramListener(at: fiveTuple.server) else { return }
            let remote = cacheAddress ? addresses.socketAddress(for: fiveTuple.client) : fiveTuple.client.socketAddress
            let envelope = AddressedEnvelope(remoteAddress: remote, data: bytes)
            outlet.channel.write(envelope, promise: nil)
            markDirty(outlet)
        case .tcp, .tls:
            sendToStream(fiveTuple, bytes, relayed: relayed)
        }
    }

    func datagramListener(at local: TransportAddress) -> Outlet? {
        for outlet in datagramListeners where outlet.local == local { return outlet }
        return nil
    }

    /// One UDP datagram from a relayed transport address. A destination that is another of this
    /// server's relayed addresses belongs to another worker's core (the sending core delivers
    /// to its own allocations itself): it is handed to that worker's loop, never sent out.
    func sendToPeer(relayed: TransportAddress, peer: TransportAddress, payload: ByteBuffer) {
        if let directory, directory.isOwnRelay(peer) {
            guard let owner = directory.owner(of: peer.port), owner !== self else { return }
            let sender = directory.advertised(relayed)
            owner.eventLoop.execute { owner.internalDatagram(payload, from: sender, to: peer) }
            return
        }
        guard let outlet = relaySockets[relayed] else { return }
        guard outlet.channel.isActive else {
            // Closed by a send error and not yet bound again (RelayWorker+RelaySocketRecovery).
            counters.relaySendFailures &+= 1
            return
        }
        let envelope = AddressedEnvelope(remoteAddress: addresses.socketAddress(for: peer), data: payload)
        outlet.channel.write(envelope, promise: nil)
        markDirty(outlet)
    }

    /// Carries out the core's actions until it has none left.
    func runActions(_ now: Now) {
        var batch = core.drainActions()
        while !batch.isEmpty {
            for action in batch {
                execute(action, now: now)
            }
            batch = core.drainActions()
        }
    }

    private func execute(_ action: RelayAction, now: Now) {
        switch action {
        case .sendToClient(let fiveTuple, let bytes):
            sendToClient(fiveTuple, bytes, cacheAddress: core.hasAllocation(fiveTuple))
        case .relayToClient(let fiveTuple, let bytes):
            sendToClient(fiveTuple, bytes, cacheAddress: true, relayed: true)
        case .sendToPeer(let relayed, let peer, let payload, _):
            sendToPeer(relayed: relayed, peer: peer, payload: payload)
        case .openRelayPorts(let request):
            openRelayPorts(request)
        case .closeRelayPort(let local):
            relaySockets.removeValue(forKey: local)?.channel.close(promise: nil)
        case .installChannelRoute(let route):
            routeSink.install(route)
        case .removeChannelRoute(let route):
            routeSink.remove(route)
        case .event(let event):
            record(event)
        }
    }
}
