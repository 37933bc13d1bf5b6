import NIOCore
import STUNWire
import TURNCore

/// A listening address of one transport: what `TURNServer+ListenerRecovery` binds again.
struct ListenerKey: Hashable, Sendable, CustomStringConvertible {
    var transport: ClientTransport
    var address: TransportAddress

    var description: String { "\(transport.rawValue) \(address)" }
}

extension RelayWorker {
    /// A UDP listener of this loop became active: responses to clients that wrote to its address
    /// go out through it. When it closes, its queued datagrams are dropped and, unless it was
    /// closed on purpose, the server is told so it binds it again.
    func listenerActive(_ outlet: Outlet) {
        datagramListeners.append(outlet)
        outlet.channel.closeFuture.whenComplete { [self] _ in
            sendQueue.discard(descriptor: outlet.descriptor)
            datagramListeners.removeAll { $0 === outlet }
            listenerClosed(outlet)
        }
    }

    /// A TCP or TLS listener of this loop is bound; watched like the UDP ones.
    func streamListenerBound(_ outlet: Outlet) {
        streamListeners.append(outlet)
        outlet.channel.closeFuture.whenComplete { [self] _ in
            streamListeners.removeAll { $0 === outlet }
            listenerClosed(outlet)
        }
    }

    private func listenerClosed(_ outlet: Outlet) {
        guard !stopped, !outlet.retiring else { return }
        listenerLost?(index, ListenerKey(transport: outlet.transport, address: outlet.local))
    }

    /// This loop's open listener for `key`, if any.
    func activeListener(_ key: ListenerKey) -> Outlet? {
        let candidates = key.transport == .udp ? datagramListeners : streamListeners
        return candidates.first { $0.transport == key.transport && $0.local == key.address && $0.channel.isActive && !$0.retiring }
    }
}
