import NIOCore
import STUNWire
import TURNCore

extension TURNServer {
    /// How often the kernel's counters are read into the allocations and the metrics.
    static let xdpPollInterval = TimeAmount.seconds(1)

    /// Loads and attaches the fast path for the addresses actually bound, then reads its
    /// counters every `xdpPollInterval` on `loop`.
    func startXDP(_ configuration: ServerConfiguration, on loop: any EventLoop) throws(ServerStartError) {
        guard let xdp else { return }
        let bound = boundAddresses
        var addresses = bound.udp.map(\.ip)
        if let ipv4 = configuration.relay.ipv4 { addresses.append(.v4(ipv4)) }
        if let ipv6 = configuration.relay.ipv6 { addresses.append(.v6(ipv6)) }
        try xdp.start(listeningPorts: bound.udp.map(\.port), relayPorts: configuration.relay.ports, addresses: addresses)
        let poll = loop.scheduleRepeatedTask(initialDelay: Self.xdpPollInterval, delay: Self.xdpPollInterval) { _ in
            xdp.poll()
        }
        lock.withLock { xdpPoll = poll }
        if configuration.quotas.bandwidthPerAllocation > 0 || configuration.quotas.bandwidthPerUser > 0 {
            logger.warning("bandwidth limits are configured: channels are relayed in userspace, where every byte is metered, not by the xdp fast path", metadata: [
                "bandwidth_per_allocation": .string("\(configuration.quotas.bandwidthPerAllocation)"),
                "bandwidth_per_user": .string("\(configuration.quotas.bandwidthPerUser)"),
            ])
        }
    }

    /// Stops the counter reads and detaches the program (shutdown or a failed start).
    func stopXDP() {
        let poll = lock.withLock { () -> RepeatedTask? in
            defer { xdpPoll = nil }
            return xdpPoll
        }
        poll?.cancel()
        xdp?.shutdown()
    }

    /// The fast path's attachments and counters as of its last read; nil when `xdp.mode` is off.
    public var xdpStatistics: XDPStatistics? { xdp?.statistics }
}
