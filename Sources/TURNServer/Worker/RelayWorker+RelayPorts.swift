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

    /// A relay socket for `local`, registered on this loop. Its datagrams go out through the
    /// send queue; when it closes, whatever is still queued for its descriptor is dropped.
    func bindRelaySocket(_ local: TransportAddress, dontFragment: Bool) -> EventLoopFuture<Outlet> {
        let worker = self
        let options = DatagramSocket.Options(tuning: tuning)
        return DatagramSocket.open(local, options: options, on: eventLoop) { channel, _ in
            try channel.pipeline.syncOperations.addHandler(PeerDatagramHandler(worker: worker, relayed: local))
        }.map { socket in
            let outlet = Outlet(channel: socket.channel, local: local, descriptor: socket.descriptor)
            worker.watchDescriptor(outlet)
            // RFC 8656 §7.2, §14.8: DF where the kernel allows; without it the allocation still
            // works, so a refusal is only logged.
            if dontFragment, !DatagramSocket.setDontFragment(socket.descriptor, ipv6: local.family == .ipv6) {
                worker.logger.debug("DONT-FRAGMENT not supported on relay socket", metadata: ["relayed": .string(local.description)])
            }
            return outlet
        }
    }

    /// Drops what the send queue still holds for `outlet`'s descriptor the moment NIO closes it,
    /// before the kernel can hand the number to another socket.
    func watchDescriptor(_ outlet: Outlet) {
        let descriptor = outlet.descriptor
        outlet.channel.closeFuture.whenComplete { [self] _ in sendQueue.discard(descriptor: descriptor) }
    }
}
