import NIOCore
import STUNWire

extension RelayWorker {
    /// A UDP listener of this loop became active: responses to clients that wrote to its address
    /// go out through it. When it closes, its queued datagrams are dropped and, unless it was
    /// closed on purpose, the server is told so it binds it again.
    func listenerActive(_ outlet: Outlet) {
        datagramListeners.append(outlet)
        outlet.channel.closeFuture.whenComplete { [self] _ in
            sendQueue.discard(descriptor: outlet.descriptor)
            datagramListeners.removeAll { $0 === outlet }
            guard !stopped, !outlet.retiring else { return }
            listenerLost?(index, outlet.local)
        }
    }

    /// This loop's open UDP listener on `address`, if any.
    func activeListener(at address: TransportAddress) -> Outlet? {
        datagramListeners.first { $0.local == address && $0.channel.isActive && !$0.retiring }
    }
}
