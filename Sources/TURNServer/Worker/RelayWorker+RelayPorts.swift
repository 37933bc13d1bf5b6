import Logging
import NIOCore
import NIOPosix
import STUNWire
import TURNCore

extension RelayWorker {
    /// RFC 8656 §7.2: bind exactly the ports the core chose, all or none, on this loop, then
    /// tell the core. A port taken by another process fails the request; the core picks others.
    func openRelayPorts(_ request: RelayPortRequest) {
        if let inputArrival { portRequestArrivals[request.id] = inputArrival }
        let binds = request.addresses.map { bindRelaySocket($0, dontFragment: request.dontFragment) }
        EventLoopFuture.whenAllComplete(binds, on: eventLoop).whenSuccess { [self] results in
            let opened = results.compactMap { try? $0.get() }
            let now = ServerClock.now()
            inputArrival = portRequestArrivals.removeValue(forKey: request.id)
            defer { inputArrival = nil }
            if stopped {
                for outlet in opened { outlet.channel.close(promise: nil) }
                return
            }
            if opened.count == results.count {
                for outlet in opened {
                    outlet.dontFragment = request.dontFragment
                    relaySockets[outlet.local] = outlet
                    watchRelaySocket(outlet)
                }
                core.relayOpened(request.id, now: now)
            } else {
                for outlet in opened { outlet.channel.close(promise: nil) }
                for case .failure(let error) in results {
                    logger.debug("relay port unavailable", metadata: ["error": .string("\(error)")])
                }
                core.relayOpenFailed(request.id, now: now)
            }
            runActions(now)
            flushPending()
        }
    }

    func bindRelaySocket(_ local: TransportAddress, dontFragment: Bool) -> EventLoopFuture<Outlet> {
        let worker = self
        var bootstrap = SocketTuning.batched(DatagramBootstrap(group: eventLoop))
        bootstrap = tuning.apply(to: bootstrap)
        return bootstrap
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if case .ipv6 = local.family {
                        try channel.syncOptions?.setOption(SocketTuning.ipv6Only, value: 1)
                    }
                    try channel.pipeline.syncOperations.addHandler(PeerDatagramHandler(worker: worker, relayed: local))
                }
            }
            .bind(to: local.socketAddress)
            .flatMap { channel in
                let outlet = Outlet(channel: channel, local: local)
                guard dontFragment else { return channel.eventLoop.makeSucceededFuture(outlet) }
                // RFC 8656 §7.2, §14.8: DF where the kernel allows; without it the allocation
                // still works, so a refusal is only logged.
                return SocketTuning.setDontFragment(on: channel, ipv6: local.family == .ipv6)
                    .map { outlet }
                    .flatMapErrorThrowing { error in
                        worker.logger.debug("DONT-FRAGMENT not supported on relay socket", metadata: ["error": .string("\(error)")])
                        return outlet
                    }
            }
    }
}
