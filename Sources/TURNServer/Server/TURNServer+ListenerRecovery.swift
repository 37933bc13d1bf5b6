import Logging
import NIOCore
import STUNWire
import TURNCore

/// A listener never closes from a send error (UDP: the workers send with sendmmsg themselves,
/// `DatagramSendQueue`), but one may close anyway: a read error NIO treats as fatal (a TCP
/// listener's accept() can return a pending network error such as EPROTO or ENETUNREACH), a
/// descriptor closed from outside. It is then bound again at once, logged once and counted, and
/// `/readyz` answers 503 until every loop has its socket back.
///
/// Order matters: the listeners of one address form a SO_REUSEPORT group whose sockets are
/// indexed in the order they joined, and `ReusePortSharding` steers each client to a loop by
/// that index. Linux fills a closed socket's slot with the group's last socket, so the socket
/// of loop `j` is not simply bound again: the sockets of loops after `j` are closed too and all
/// of them bound again in loop order (the sockets of loops before `j` keep their slots).
extension TURNServer {
    /// How long a listener that cannot be bound again (its address is gone) waits before the
    /// next try.
    static let listenerRebindInterval = Duration.seconds(1)

    /// Called on worker `index`'s loop when its listener `key` closed on its own.
    func listenerLost(worker index: Int, key: ListenerKey) {
        let first = lock.withLock { () -> Bool in
            listenersDown.insert(key)
            listenerRestarts[key.transport, default: 0] &+= 1
            guard !listenersRecovering.contains(key) else {
                listenersLostAgain.insert(key)
                return false
            }
            listenersRecovering.insert(key)
            return true
        }
        guard first else { return }
        logger.error("listener closed unexpectedly; binding it again", metadata: [
            "listener": .string(key.description), "event_loop": .string("\(index)"),
        ])
        Task { await self.recoverListeners(key) }
    }

    /// Binds `key` again on every loop that lacks it, until all have it or the server stops.
    func recoverListeners(_ key: ListenerKey) async {
        var attempts = 0
        while true {
            let workers = currentWorkers
            guard !workers.isEmpty else { return }
            if let missing = await firstLoopWithoutListener(key, workers) {
                attempts += 1
                do {
                    try await rebind(key, from: missing, workers: workers)
                } catch {
                    if attempts == 1 {
                        logger.warning("listener cannot be bound again yet; retrying every second", metadata: [
                            "listener": .string(key.description), "error": .string("\(error)"),
                        ])
                    }
                    try? await Task.sleep(for: Self.listenerRebindInterval)
                }
                continue
            }
            let settled = lock.withLock { () -> Bool in
                guard listenersLostAgain.remove(key) == nil else { return false }
                listenersRecovering.remove(key)
                listenersDown.remove(key)
                return true
            }
            if settled {
                logger.notice("listener bound again", metadata: [
                    "listener": .string(key.description), "attempts": .string("\(attempts)"),
                ])
                return
            }
        }
    }

    private func firstLoopWithoutListener(_ key: ListenerKey, _ workers: [RelayWorker]) async -> Int? {
        for worker in workers {
            let present = (try? await worker.eventLoop.submit { worker.activeListener(key) != nil }.get()) ?? true
            if !present { return worker.index }
        }
        return nil
    }

    /// Closes the listeners of the loops after `first`, then binds `first` and those again in
    /// loop order, and steers the group by client address again.
    private func rebind(_ key: ListenerKey, from first: Int, workers: [RelayWorker]) async throws {
        for worker in workers[(first + 1)...] {
            let channel = try await worker.eventLoop.submit { () -> (any Channel)? in
                guard let outlet = worker.activeListener(key) else { return nil }
                outlet.retiring = true
                return outlet.channel
            }.get()
            try? await channel?.close()
        }
        var rebound: (any Channel)?
        for worker in workers[first...] {
            let channel = try await openListener(key, worker: worker)
            rebound = rebound ?? channel
        }
        if let rebound { await shardByClientAddress(rebound, address: key.address, workers: workers.count) }
    }

    /// One worker's listener for `key`, registered with the worker.
    private func openListener(_ key: ListenerKey, worker: RelayWorker) async throws -> any Channel {
        let kind: StreamKind
        switch key.transport {
        case .udp:
            return try await Self.openDatagramListener(key.address, worker: worker).get()
        case .tcp:
            kind = .tcp
        case .tls:
            guard let holder = lock.withLock({ tlsContext }) else { throw ChannelError.operationUnsupported }
            kind = .tls(holder)
        }
        let channel = try await streamListenerBootstrap(key.address, kind: kind, worker: worker).bind(to: key.address.socketAddress).get()
        let outlet = Outlet(channel: channel, local: key.address, transport: key.transport)
        try await worker.eventLoop.submit { worker.streamListenerBound(outlet) }.get()
        return channel
    }

    /// The listeners as they are: an address is listed when every loop has its socket open,
    /// and under `down` otherwise.
    func liveListeners() async -> (up: [String: [String]], down: [String]) {
        let bound = boundAddresses
        let workers = currentWorkers
        var up: [String: [String]] = ["udp": [], "tcp": [], "tls": []]
        var down: [String] = []
        for (transport, addresses) in [(ClientTransport.udp, bound.udp), (.tcp, bound.tcp), (.tls, bound.tls)] {
            for address in addresses {
                let key = ListenerKey(transport: transport, address: address)
                if await firstLoopWithoutListener(key, workers) == nil {
                    up[transport.rawValue, default: []].append(address.description)
                } else {
                    down.append(key.description)
                }
            }
        }
        return (up, down)
    }
}
