import Logging
import NIOCore
import STUNWire

extension RelayWorker {
    /// How long a relay socket that cannot be bound again (its address is gone) waits before the
    /// next try.
    static let relayRebindInterval = TimeAmount.seconds(1)

    /// Sends never close a relay socket (`DatagramSendQueue` counts a refused datagram and goes
    /// on), but a socket may still close on its own (a read error NIO treats as fatal). The
    /// allocation still owns its relayed transport address (RFC 8656 §6.2), so the worker binds
    /// the socket again, once the address is back, for as long as the allocation lives.
    /// Datagrams for the peer meanwhile are counted, not logged.
    func watchRelaySocket(_ outlet: Outlet) {
        outlet.channel.closeFuture.whenComplete { [self] _ in
            eventLoop.execute { self.relaySocketClosed(outlet) }
        }
    }

    /// A relay socket closed. Closed on purpose (allocation ended, shutdown) it is no longer in
    /// `relaySockets`; otherwise it closed on its own: a counter, re-binding, and one log line
    /// per closed socket (never one per datagram).
    func relaySocketClosed(_ outlet: Outlet) {
        guard !stopped, relaySockets[outlet.local] === outlet else { return }
        counters.relaySocketsLost &+= 1
        rebindRelaySocket(replacing: outlet, attempts: 1)
    }

    /// Binds the relayed transport address again; while that fails, tries again every
    /// `relayRebindInterval` until it works or the allocation ends. The first attempt's outcome
    /// is logged as a warning, a later success as a notice, later failures only at debug level.
    private func rebindRelaySocket(replacing dead: Outlet, attempts: Int) {
        bindRelaySocket(dead.local, dontFragment: dead.dontFragment).whenComplete { [self] result in
            let wanted = !stopped && relaySockets[dead.local] === dead
            let relayed: Logger.MetadataValue = .string(dead.local.description)
            switch result {
            case .success(let outlet):
                guard wanted else {
                    outlet.channel.close(promise: nil)
                    return
                }
                outlet.dontFragment = dead.dontFragment
                relaySockets[dead.local] = outlet
                watchRelaySocket(outlet)
                if attempts == 1 {
                    logger.warning("relay socket closed unexpectedly; bound again", metadata: ["relayed": relayed])
                } else {
                    logger.notice("relay socket bound again", metadata: ["relayed": relayed, "attempts": .string("\(attempts)")])
                }
            case .failure(let error):
                guard wanted else { return }
                if attempts == 1 {
                    logger.warning("relay socket closed unexpectedly and cannot be bound again yet; retrying every second while its allocation lives", metadata: [
                        "relayed": relayed, "error": .string("\(error)"),
                    ])
                } else {
                    logger.debug("relay socket not bound yet", metadata: ["relayed": relayed, "error": .string("\(error)")])
                }
                eventLoop.scheduleTask(in: Self.relayRebindInterval) {
                    guard !self.stopped, self.relaySockets[dead.local] === dead else { return }
                    self.rebindRelaySocket(replacing: dead, attempts: attempts + 1)
                }
            }
        }
    }
}
