import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import STUNWire
import TURNCore

/// The running relay: an event loop group with one `RelayWorker` (and so one `RelayCore`) per
/// loop, UDP listeners sharded across loops with SO_REUSEPORT, TCP and TLS listeners likewise,
/// and the drain and reload entry points `turnpike serve` wires to signals. `TURNServer+Service`
/// makes it a swift-service-lifecycle `Service`.
public final class TURNServer: @unchecked Sendable {
    /// The addresses actually bound (a configured port 0 resolved), per transport.
    public struct BoundAddresses: Hashable, Sendable {
        public var udp: [TransportAddress] = []
        public var tcp: [TransportAddress] = []
        public var tls: [TransportAddress] = []
    }

    let logger: Logger
    let sources: ConfigurationSources?
    let routeSink: any ChannelRouteSink
    /// The kernel fast path, unless `xdp.mode` is off; it is then the cores' route sink.
    let xdp: XDPDatapath?
    let state = ServerState()
    /// The Prometheus registry behind `/metrics` (Metrics/).
    public let metrics = ServerMetrics()
    let quota: ServerQuota
    let connections: ConnectionBudget
    /// The TCP/TLS guards every loop's connections share (Streams/).
    let sourceConnections: SourceConnectionLimiter
    let partialFrames = PartialFrameBudget()
    let streamStatistics = StreamStatistics()
    /// Guards the mutable fields below; never held across an await.
    let lock = NIOLock()
    var _configuration: ServerConfiguration
    var group: MultiThreadedEventLoopGroup?
    var workers: [RelayWorker] = []
    var tlsContext: TLSContextHolder?
    var _bound = BoundAddresses()
    var streamLimits: StreamLimits
    var started = false
    var stoppedPromise: EventLoopPromise<Void>?
    var drainFuture: EventLoopFuture<Void>?
    var xdpPoll: RepeatedTask?
    /// Listeners with a loop whose socket is closed, those being bound again, and those lost
    /// again meanwhile (`TURNServer+ListenerRecovery`); restarts so far, by transport.
    var listenersDown: Set<ListenerKey> = []
    var listenersRecovering: Set<ListenerKey> = []
    var listenersLostAgain: Set<ListenerKey> = []
    var listenerRestarts: [ClientTransport: UInt64] = [:]
    /// Run at each `reload()` (SIGHUP or the admin API), whatever the configuration's fate.
    var reloadHooks: [@Sendable () async -> Void] = []

    /// `sources` are re-read on `reload()`; nil for a configuration built in code (the
    /// development default), which has nothing to re-read.
    public init(
        configuration: ServerConfiguration, sources: ConfigurationSources? = nil, logger: Logger,
        routeSink: any ChannelRouteSink = UserspaceRouteSink()
    ) {
        _configuration = configuration
        self.sources = sources
        self.logger = logger
        self.routeSink = routeSink
        xdp = configuration.xdp.mode == .off ? nil : XDPDatapath(configuration: configuration.xdp, logger: logger)
        quota = ServerQuota(configuration)
        connections = ConnectionBudget(limit: configuration.streams.maxConnections)
        sourceConnections = SourceConnectionLimiter(limit: configuration.streams.maxConnectionsPerSource)
        streamLimits = StreamLimits(configuration.streams)
        if let xdp { metrics.addSource(xdp) }
    }

    public var configuration: ServerConfiguration { lock.withLock { _configuration } }
    public var boundAddresses: BoundAddresses { lock.withLock { _bound } }
    /// Allocations alive on all workers.
    public var allocationCount: Int { state.liveAllocations }
    /// Open TCP and TLS client connections.
    public var streamConnectionCount: Int { connections.count }

    /// Binds every listener and starts relaying. Throws a one-line `ServerStartError` (and
    /// leaves nothing running) when a port is in use, an address is missing or the TLS files
    /// are unusable.
    public func start() async throws(ServerStartError) {
        let configuration = self.configuration
        var tls: TLSContextHolder?
        if !configuration.listeners.tls.isEmpty {
            guard let files = configuration.tls else {
                throw ServerStartError("TLS listeners are configured but tls.certificate and tls.private-key are not")
            }
            tls = TLSContextHolder(try TLSContextHolder.load(files))
        }
        let portCount = Int(configuration.relay.ports.upperBound) - Int(configuration.relay.ports.lowerBound) + 1
        let loopCount = max(1, min(configuration.server.eventLoops.resolved(cores: System.coreCount), portCount))
        let group = MultiThreadedEventLoopGroup(numberOfThreads: loopCount)
        let workers: [RelayWorker]
        do {
            workers = try makeWorkers(configuration, loops: Array(group.makeIterator()))
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        lock.withLock {
            self.group = group
            self.workers = workers
            self.tlsContext = tls
            self.stoppedPromise = group.next().makePromise(of: Void.self)
        }
        do {
            try await bindListeners(configuration, workers: workers, tls: tls)
            try await reconfigureWorkers(configuration)
            try startXDP(configuration, on: group.next())
        } catch {
            await stop()
            throw error
        }
        lock.withLock { started = true }
        let bound = boundAddresses
        logger.notice("turnpike listening", metadata: [
            "udp": .string(bound.udp.map(\.description).joined(separator: ",")),
            "tcp": .string(bound.tcp.map(\.description).joined(separator: ",")),
            "tls": .string(bound.tls.map(\.description).joined(separator: ",")),
            "event_loops": .string("\(loopCount)"),
        ])
    }

    private func makeWorkers(_ configuration: ServerConfiguration, loops: [any EventLoop]) throws(ServerStartError) -> [RelayWorker] {
        var workers: [RelayWorker] = []
        var random = SecureRandomNumberGenerator()
        let now = ServerClock.now()
        let tuning = SocketTuning(
            receiveBufferBytes: Int(clamping: configuration.server.receiveBufferBytes),
            sendBufferBytes: Int(clamping: configuration.server.sendBufferBytes))
        for (index, loop) in loops.enumerated() {
            let relayConfiguration: RelayConfiguration
            do {
                relayConfiguration = try configuration.relayConfiguration(
                    worker: index, of: loops.count, sharedQuota: quota, usernameFailures: quota.usernameFailures,
                    bound: configuration.listeners)
            } catch {
                throw ServerStartError("invalid credentials: \(error)")
            }
            let core = RelayCore(configuration: relayConfiguration, random: RelayRandom(seed: random.next()), now: now)
            var logger = self.logger
            logger[metadataKey: "loop"] = "\(index)"
            let worker = RelayWorker(
                index: index, eventLoop: loop, core: core, logger: logger, routeSink: xdp ?? routeSink, xdp: xdp, state: state,
                tuning: tuning)
            worker.requestLatency = metrics.requestLatency
            worker.listenerLost = { [weak self] index, key in self?.listenerLost(worker: index, key: key) }
            workers.append(worker)
        }
        var advertised: [IPAddress: IPAddress] = [:]
        if let ipv4 = configuration.relay.ipv4 { advertised[.v4(ipv4)] = configuration.relay.publicAddress(for: .ipv4) }
        if let ipv6 = configuration.relay.ipv6 { advertised[.v6(ipv6)] = configuration.relay.publicAddress(for: .ipv6) }
        let directory = WorkerDirectory(
            workers: workers, relayPorts: configuration.relay.ports, ownRelayAddresses: configuration.peerPolicy().ownRelayAddresses,
            advertisedByLocal: advertised)
        for worker in workers { worker.directory = directory }
        return workers
    }

    /// Gives every core the configuration `next`, with the listening addresses actually bound
    /// in its peer policy (a configured port 0 is resolved by then), and the shared quota its
    /// limits, once every core's configuration is built.
    func reconfigureWorkers(_ next: ServerConfiguration) async throws(ServerStartError) {
        let (workers, bound) = lock.withLock { (self.workers, _bound) }
        let listening = ServerConfiguration.Listeners(udp: bound.udp, tcp: bound.tcp, tls: bound.tls)
        let usernameFailures = quota.usernameFailures(for: next)
        var configurations: [RelayConfiguration] = []
        for worker in workers {
            do {
                configurations.append(try next.relayConfiguration(
                    worker: worker.index, of: workers.count, sharedQuota: quota, usernameFailures: usernameFailures,
                    bound: listening))
            } catch {
                throw ServerStartError("invalid credentials: \(error)")
            }
        }
        quota.reconfigure(next, usernameFailures: usernameFailures)
        for (worker, relayConfiguration) in zip(workers, configurations) {
            try? await worker.eventLoop.submit { worker.reload(relayConfiguration) }.get()
        }
    }

    /// Closes every socket and stops the event loops; allocations end without a response.
    public func stop() async {
        let (workers, group, promise) = lock.withLock { () -> ([RelayWorker], MultiThreadedEventLoopGroup?, EventLoopPromise<Void>?) in
            defer {
                self.workers = []
                self.group = nil
                self.stoppedPromise = nil
                started = false
            }
            return (self.workers, self.group, self.stoppedPromise)
        }
        stopXDP()
        for worker in workers {
            try? await worker.eventLoop.submit { worker.close() }.get()
        }
        for worker in workers { worker.directory = nil }
        promise?.succeed()
        try? await group?.shutdownGracefully()
    }

    /// Completes when `stop()` has run.
    func waitUntilStopped() async {
        let future = lock.withLock { stoppedPromise?.futureResult }
        try? await future?.get()
    }
}
