import Logging
import NIOCore
import STUNWire

/// A UDP listener never closes from a send error (the workers send with sendmmsg themselves,
/// `DatagramSendQueue`), but if one closes anyway (a read error NIO treats as fatal, a
/// descriptor closed from outside), it is bound again at once, logged once and counted, and
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

    /// Called on worker `index`'s loop when its UDP listener on `address` closed on its own.
    func listenerLost(worker index: Int, address: TransportAddress) {
        let first = lock.withLock { () -> Bool in
            listenersDown.insert(address)
            listenerRestarts &+= 1
            guard !listenersRecovering.contains(address) else {
                listenersLostAgain.insert(address)
                return false
            }
            listenersRecovering.insert(address)
            return true
        }
        guard first else { return }
        logger.error("UDP listener closed unexpectedly; binding it again", metadata: [
            "listener": .string(address.description), "event_loop": .string("\(index)"),
        ])
        Task { await self.recoverDatagramListeners(address) }
    }

    /// Binds `address` again on every loop that lacks it, until all have it or the server stops.
    func recoverDatagramListeners(_ address: TransportAddress) async {
        var attempts = 0
        while true {
            let workers = currentWorkers
            guard !workers.isEmpty else { return }
            if let missing = await firstLoopWithoutListener(address, workers) {
                attempts += 1
                do {
                    try await rebind(address, from: missing, workers: workers)
                } catch {
                    if attempts == 1 {
                        logger.warning("UDP listener cannot be bound again yet; retrying every second", metadata: [
                            "listener": .string(address.description), "error": .string("\(error)"),
                        ])
                    }
                    try? await Task.sleep(for: Self.listenerRebindInterval)
                }
                continue
            }
            let settled = lock.withLock { () -> Bool in
                guard listenersLostAgain.remove(address) == nil else { return false }
                listenersRecovering.remove(address)
                listenersDown.remove(address)
                return true
            }
            if settled {
                logger.notice("UDP listener bound again", metadata: [
                    "listener": .string(address.description), "attempts": .string("\(attempts)"),
                ])
                return
            }
        }
    }

    private func firstLoopWithoutListener(_ address: TransportAddress, _ workers: [RelayWorker]) async -> Int? {
        for worker in workers {
            let present = (try? await worker.eventLoop.submit { worker.activeListener(at: address) != nil }.get()) ?? true
            if !present { return worker.index }
        }
        return nil
    }

    /// Closes the listeners of the loops after `first`, then binds `first` and those again in
    /// loop order, and steers the group by client address again.
    private func rebind(_ address: TransportAddress, from first: Int, workers: [RelayWorker]) async throws {
        for worker in workers[(first + 1)...] {
            let channel = try await worker.eventLoop.submit { () -> (any Channel)? in
                guard let outlet = worker.activeListener(at: address) else { return nil }
                outlet.retiring = true
                return outlet.channel
            }.get()
            try? await channel?.close()
        }
        var rebound: (any Channel)?
        for worker in workers[first...] {
            let channel = try await Self.openDatagramListener(address, worker: worker).get()
            rebound = rebound ?? channel
        }
        if let rebound { await shardByClientAddress(rebound, address: address, workers: workers.count) }
    }

    /// The listeners as they are: an address is listed when every loop has its socket open.
    func liveListeners() async -> (up: [String: [String]], down: [String]) {
        let bound = boundAddresses
        let workers = currentWorkers
        var udpUp: [String] = []
        var down: [String] = []
        for address in bound.udp {
            let missing = await firstLoopWithoutListener(address, workers)
            if missing == nil { udpUp.append(address.description) } else { down.append("udp \(address)") }
        }
        var streamUp: [String: [String]] = ["tcp": [], "tls": []]
        for (name, addresses) in [("tcp", bound.tcp), ("tls", bound.tls)] {
            for address in addresses {
                let open = await onEachWorker { worker in
                    worker.streamListeners.contains { $0.isActive && $0.localAddress.flatMap(TransportAddress.init)?.port == address.port }
                }
                if open.allSatisfy({ $0 }) { streamUp[name, default: []].append(address.description) } else { down.append("\(name) \(address)") }
            }
        }
        return (["udp": udpUp, "tcp": streamUp["tcp"] ?? [], "tls": streamUp["tls"] ?? []], down)
    }
}
