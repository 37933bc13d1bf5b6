import Logging
import NIOCore
import STUNWire
import TURNCore

extension RelayWorker {
    /// The hot path's result: the payload is a slice of the received buffer. Towards a UDP
    /// client the ChannelData header is written in front of it in the send queue's arena; only a
    /// stream needs a framed buffer of its own (see `framing`).
    func perform(_ route: RelayRoute) {
        switch route {
        case .none:
            break
        case .toPeer(let relayed, let peer, let payload, _):
            sendToPeer(relayed: relayed, peer: peer, payload: payload)
        case .toClient(let fiveTuple, let channel, let payload):
            if fiveTuple.transport == .udp {
                sendDatagram(payload, channel: channel, to: fiveTuple)
            } else {
                sendToStream(fiveTuple, framing(channel, payload, padded: true), relayed: true)
            }
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

    /// `relayed`: ChannelData or a Data indication, which a stream may drop (`sendToStream`).
    func sendToClient(_ fiveTuple: FiveTuple, _ bytes: ByteBuffer, relayed: Bool = false) {
        switch fiveTuple.transport {
        case .udp:
            sendDatagram(bytes, to: fiveTuple)
        case .tcp, .tls:
            sendToStream(fiveTuple, bytes, relayed: relayed)
        }
    }

    /// A datagram to a UDP client, from the listener it wrote to (RFC 8656 §3.1: the server
    /// answers from the address the client sent to).
    func sendDatagram(_ bytes: ByteBuffer, channel: ChannelNumber? = nil, to fiveTuple: FiveTuple) {
        guard let outlet = datagramListener(at: fiveTuple.server), outlet.acceptsDatagrams else {
            // The listener closed and is being bound again (TURNServer+ListenerRecovery).
            sendQueue.countClosed(.listener)
            return
        }
        sendQueue.enqueue(bytes, channel: channel, to: fiveTuple.client, on: outlet.descriptor, role: .listener)
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
        guard outlet.acceptsDatagrams else {
            // Closed on its own and not yet bound again (RelayWorker+RelaySocketRecovery).
            counters.relaySendFailures &+= 1
            return
        }
        sendQueue.enqueue(payload, to: peer, on: outlet.descriptor, role: .relay)
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
            sendToClient(fiveTuple, bytes)
        case .relayToClient(let fiveTuple, let bytes):
            sendToClient(fiveTuple, bytes, relayed: true)
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
