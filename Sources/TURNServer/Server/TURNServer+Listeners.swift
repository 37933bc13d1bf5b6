#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

import NIOCore
import NIOPosix
import NIOSSL
import STUNWire
import TURNCore

extension TURNServer {
    enum StreamKind {
        case tcp
        case tls(TLSContextHolder)

        var transport: ClientTransport {
            switch self {
            case .tcp: .tcp
            case .tls: .tls
            }
        }
    }

    func bindListeners(_ configuration: ServerConfiguration, workers: [RelayWorker], tls: TLSContextHolder?) async throws(ServerStartError) {
        try await checkRelayAddresses(configuration, on: workers[0].eventLoop)
        for address in configuration.listeners.udp {
            let bound = try await bindDatagramListeners(address, workers: workers)
            lock.withLock { _bound.udp.append(bound) }
        }
        for address in configuration.listeners.tcp {
            let bound = try await bindStreamListeners(address, kind: .tcp, workers: workers)
            lock.withLock { _bound.tcp.append(bound) }
        }
        if let tls {
            for address in configuration.listeners.tls {
                let bound = try await bindStreamListeners(address, kind: .tls(tls), workers: workers)
                lock.withLock { _bound.tls.append(bound) }
            }
        }
    }

    /// A relay address this host does not have would fail every Allocate (508); it is an error
    /// at start-up instead, found by binding a throwaway socket to it.
    private func checkRelayAddresses(_ configuration: ServerConfiguration, on loop: any EventLoop) async throws(ServerStartError) {
        let locals: [IPAddress] = [configuration.relay.ipv4.map(IPAddress.v4), configuration.relay.ipv6.map(IPAddress.v6)].compactMap { $0 }
        for ip in locals {
            let address = TransportAddress(ip: ip, port: 0)
            let probe: any Channel
            do {
                probe = try await DatagramBootstrap(group: loop).bind(to: address.socketAddress).get()
            } catch let error as IOError {
                throw ServerStartError("cannot relay from \(ip): \(Self.reason(error))")
            } catch {
                throw ServerStartError("cannot relay from \(ip): \(error)")
            }
            try? await probe.close()
        }
    }

    /// One UDP socket per worker on the same address with SO_REUSEPORT: the kernel spreads
    /// clients over the loops by their address, and a client always reaches the same loop, so
    /// the core that holds its allocation. The port is first bound alone, so a port another
    /// process holds is an error rather than silently shared.
    private func bindDatagramListeners(_ address: TransportAddress, workers: [RelayWorker]) async throws(ServerStartError) -> TransportAddress {
        let label = "UDP \(address)"
        // The probe binds without SO_REUSEPORT. For port 0 it also picks the port: Linux may hand
        // a SO_REUSEPORT socket asking for port 0 a port that another reuseport group of the same
        // user already holds (seen with two servers in one test process), and the two servers
        // would then share clients.
        let probe = try await Self.bound(label) {
            try await DatagramBootstrap(group: workers[0].eventLoop).bind(to: address.socketAddress).get()
        }
        var port = probe.localAddress.flatMap(TransportAddress.init)?.port ?? address.port
        try? await probe.close()
        for worker in workers {
            let target = TransportAddress(ip: address.ip, port: port)
            let channel = try await Self.bound(label) { try await Self.openDatagramListener(target, worker: worker).get() }
            if port == 0, let local = channel.localAddress.flatMap(TransportAddress.init) { port = local.port }
            if worker.index == 0 { await shardByClientAddress(channel, address: address, workers: workers.count) }
        }
        return TransportAddress(ip: address.ip, port: port)
    }

    /// One worker's UDP listener on `address` (SO_REUSEPORT), read by a `ClientDatagramHandler`
    /// that registers it with the worker once active.
    static func openDatagramListener(_ address: TransportAddress, worker: RelayWorker) -> EventLoopFuture<any Channel> {
        let options = DatagramSocket.Options(reusePort: true, tuning: worker.tuning)
        return DatagramSocket.open(address, options: options, on: worker.eventLoop) { channel, descriptor in
            try channel.pipeline.syncOperations.addHandler(ClientDatagramHandler(worker: worker, descriptor: descriptor))
        }.map(\.channel)
    }

    /// See `ReusePortSharding`; without it the kernel's hash of address and port applies, and a
    /// RESERVATION-TOKEN may reach a core that did not issue it (answered 508).
    func shardByClientAddress(_ channel: any Channel, address: TransportAddress, workers: Int) async {
        guard workers > 1 else { return }
        do {
            try await ReusePortSharding.attach(to: channel, family: address.family, sockets: workers).get()
        } catch {
            logger.warning("cannot steer clients to event loops by address; RESERVATION-TOKEN may fail across loops", metadata: [
                "listener": .string("\(address)"), "error": .string("\(error)"),
            ])
        }
    }

    /// One listening socket per worker (SO_REUSEPORT), each accepting onto its own loop, so a
    /// connection lives on the loop that accepted it, with that loop's core.
    private func bindStreamListeners(_ address: TransportAddress, kind: StreamKind, workers: [RelayWorker]) async throws(ServerStartError) -> TransportAddress {
        let label = "\(kind.transport == .tls ? "TLS" : "TCP") \(address)"
        // As for UDP: the probe (no SO_REUSEPORT) checks a fixed port and picks port 0's.
        func probe() async throws(ServerStartError) -> UInt16 {
            let probe = try await Self.bound(label) {
                try await Self.streamBootstrap(address, worker: workers[0], reusePort: false).bind(to: address.socketAddress).get()
            }
            let port = probe.localAddress.flatMap(TransportAddress.init)?.port ?? address.port
            try? await probe.close()
            return port
        }
        var port = try await probe()
        // Port 0 only (tests; configurations refuse it): between the probe's close and the first
        // bind, an outgoing connection may take the port as its ephemeral port; pick another.
        var retries = address.port == 0 ? Self.portZeroRetries : 0
        for worker in workers {
            let bootstrap = streamListenerBootstrap(TransportAddress(ip: address.ip, port: port), kind: kind, worker: worker)
            var channel: (any Channel)?
            while channel == nil {
                let target = TransportAddress(ip: address.ip, port: port)
                do {
                    channel = try await Self.bound(label) { try await bootstrap.bind(to: target.socketAddress).get() }
                } catch {
                    guard worker.index == 0, retries > 0 else { throw error }
                    retries -= 1
                    port = try await probe()
                }
            }
            guard let channel else { continue }
            let bound = TransportAddress(ip: address.ip, port: channel.localAddress.flatMap(TransportAddress.init)?.port ?? port)
            let outlet = Outlet(channel: channel, local: bound, transport: kind.transport)
            try? await worker.eventLoop.submit { worker.streamListenerBound(outlet) }.get()
            if port == 0 { port = bound.port }
            if worker.index == 0 { await shardByClientAddress(channel, address: address, workers: workers.count) }
        }
        return TransportAddress(ip: address.ip, port: port)
    }

    static let portZeroRetries = 8

    /// One worker's TCP or TLS listener (SO_REUSEPORT) accepting onto its own loop.
    func streamListenerBootstrap(_ address: TransportAddress, kind: StreamKind, worker: RelayWorker) -> ServerBootstrap {
        Self.streamBootstrap(address, worker: worker, reusePort: true)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture { try self.initializeStream(channel, kind: kind, worker: worker) }
            }
    }

    private static func streamBootstrap(_ address: TransportAddress, worker: RelayWorker, reusePort: Bool) -> ServerBootstrap {
        var bootstrap = ServerBootstrap(group: worker.eventLoop, childGroup: worker.eventLoop)
            .serverChannelOption(ChannelOptions.backlog, value: SocketTuning.streamBacklog)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
        if reusePort {
            bootstrap = bootstrap.serverChannelOption(SocketTuning.reusePort, value: 1)
        }
        if address.family == .ipv6 {
            bootstrap = bootstrap.serverChannelOption(SocketTuning.ipv6Only, value: 1)
        }
        return bootstrap
    }

    /// A new TCP or TLS connection: within the connection budget and its source's share of it
    /// (refusals counted), then (TLS) the handshake, the RFC 8656 §3.1 framer charging the
    /// partial-frame budget, the idle timer (fed by complete frames only) and the handler that
    /// feeds the core and bounds what waits to be sent.
    private func initializeStream(_ channel: any Channel, kind: StreamKind, worker: RelayWorker) throws {
        guard let remote = channel.remoteAddress.flatMap(TransportAddress.init),
              let local = channel.localAddress.flatMap(TransportAddress.init) else {
            channel.close(promise: nil)
            return
        }
        guard connections.take() else {
            streamStatistics.count(.connectionLimit)
            channel.close(promise: nil)
            return
        }
        let source = ConnectionSource(remote.ip)
        guard sourceConnections.take(source) else {
            connections.give()
            streamStatistics.count(.sourceLimit)
            channel.close(promise: nil)
            return
        }
        channel.closeFuture.whenComplete { [connections, sourceConnections] _ in
            connections.give()
            sourceConnections.give(source)
        }
        let fiveTuple = FiveTuple(client: remote, server: local, transport: kind.transport)
        let limits = lock.withLock { streamLimits }
        let pipeline = channel.pipeline.syncOperations
        if case .tls(let holder) = kind {
            try pipeline.addHandler(NIOSSLServerHandler(context: holder.current))
        }
        try pipeline.addHandler(StreamFramingHandler(budget: partialFrames, statistics: streamStatistics))
        try pipeline.addHandler(IdleStateHandler(readTimeout: limits.idleTimeout))
        try pipeline.addHandler(StreamClientHandler(worker: worker, fiveTuple: fiveTuple, limits: limits, statistics: streamStatistics))
    }

    /// Runs a bind, turning its failure into the one-line error `turnpike serve` prints.
    private static func bound<T>(_ label: String, _ body: () async throws -> T) async throws(ServerStartError) -> T {
        do {
            return try await body()
        } catch let error as IOError {
            throw ServerStartError("cannot listen on \(label): \(Self.reason(error))")
        } catch {
            throw ServerStartError("cannot listen on \(label): \(error)")
        }
    }

    private static func reason(_ error: IOError) -> String {
        String(cString: strerror(error.errnoCode))
    }
}
