import NIOCore
import TURNCore

/// Operator queries. Each event loop answers about its own core: the query hops onto the loop,
/// reads (or deletes) there, and hops back with values; no core is read from another thread.
extension TURNServer {
    /// Whether every listener is up and the server is not draining (`/readyz`).
    public var isReady: Bool { lock.withLock { started && listenersDown.isEmpty } && !state.isDraining }
    /// Listener addresses with a loop whose socket is closed and being bound again.
    public var listenersMissing: Int { lock.withLock { listenersDown.count } }
    public var isDraining: Bool { state.isDraining }

    var currentWorkers: [RelayWorker] { lock.withLock { workers } }

    /// Runs `body` on each worker's loop, in loop order; a stopped loop contributes nothing.
    func onEachWorker<Value: Sendable>(_ body: @escaping @Sendable (RelayWorker) -> Value) async -> [Value] {
        var values: [Value] = []
        for worker in currentWorkers {
            if let value = try? await worker.eventLoop.submit({ body(worker) }).get() { values.append(value) }
        }
        return values
    }

    func workerSamples() async -> [WorkerSample] {
        await onEachWorker { $0.sample() }
    }

    /// The Prometheus exposition: the loops sampled now, other datapath sources asked, and
    /// /proc/self read.
    public func metricsExposition() async -> [UInt8] {
        let samples = await workerSamples()
        var datapaths = [WorkerSample.userspace(samples)]
        for source in metrics.extraSources { datapaths.append(await source.sample()) }
        let xdp = configuration.xdp
        var configured = xdp.mode == .off
            ? [XDPAttachment(interface: "none", mode: xdp.mode.rawValue)]
            : (xdp.interfaces.isEmpty ? ["auto"] : xdp.interfaces).map { XDPAttachment(interface: $0, mode: xdp.mode.rawValue) }
        let statistics = xdpStatistics
        if let statistics, statistics.loaded {
            // The modes actually used; an attachment removed from outside reports 0.
            configured = statistics.attachments.map { XDPAttachment(interface: $0.interface, mode: $0.mode) }
            metrics.setXDPAttachments(statistics.attachments.filter(\.attached).map {
                XDPAttachment(interface: $0.interface, mode: $0.mode)
            })
        }
        let (down, restarts) = lock.withLock { (listenersDown.count, listenerRestarts) }
        metrics.setListeners(down: down, restarts: restarts)
        return metrics.render(workers: samples, datapaths: datapaths, configuredXDP: configured, process: ProcessSample.read(),
                              xdpReasons: statistics?.reasons ?? [],
                              xdpInterfaces: statistics?.interfaces ?? [XDPInterfaceReadiness(interface: "none", reason: .off)],
                              xdpEgress: statistics?.egress, streams: streamSample())
    }

    public func allocations(matching filter: AllocationFilter = AllocationFilter()) async -> [AdminAllocation] {
        let perLoop = await onEachWorker { worker in
            worker.core.allocationSnapshots(now: ServerClock.now().monotonic)
                .filter(filter.matches)
                .map { $0.admin(loop: worker.index, xdp: worker.xdpTraffic(of: $0)) }
        }
        return perLoop.flatMap { $0 }
    }

    /// One allocation by its admin id ("<loop>-<number>").
    public func allocation(id text: String) async -> AdminAllocation? {
        guard let id = AdminAllocationID(text), let worker = currentWorkers.first(where: { $0.index == id.loop }) else { return nil }
        return try? await worker.eventLoop.submit {
            worker.core.allocationSnapshot(id.allocation, now: ServerClock.now().monotonic)
                .map { $0.admin(loop: worker.index, xdp: worker.xdpTraffic(of: $0)) }
        }.get()
    }

    /// Ends an allocation as expiry would (relay ports closed, channel routes removed, nothing
    /// relayed after this returns). Returns whether it existed.
    public func deleteAllocation(id text: String) async -> Bool {
        guard let id = AdminAllocationID(text), let worker = currentWorkers.first(where: { $0.index == id.loop }) else { return false }
        return (try? await worker.eventLoop.submit { worker.administrativeDelete([id.allocation]) == 1 }.get()) ?? false
    }

    /// Ends every allocation of `user` (quota identity or USERNAME); returns their admin ids.
    public func deleteAllocations(user: String) async -> [String] {
        let perLoop = await onEachWorker { worker in
            let ids = worker.core.allocationIDs(user: user)
            worker.administrativeDelete(ids)
            return ids.map { AdminAllocationID(loop: worker.index, allocation: $0).description }
        }
        return perLoop.flatMap { $0 }
    }
}

extension RelayWorker {
    /// The kernel's share of an allocation's traffic, as of its last read (zero without XDP).
    func xdpTraffic(of snapshot: AllocationSnapshot) -> TrafficCounters {
        xdp?.allocationTraffic(snapshot.id, fiveTuple: snapshot.fiveTuple) ?? TrafficCounters()
    }

    /// On `eventLoop`: delete, carry out the resulting actions, flush. Returns how many existed.
    @discardableResult
    func administrativeDelete(_ ids: [AllocationID]) -> Int {
        guard !stopped else { return 0 }
        let now = ServerClock.now()
        var deleted = 0
        for id in ids where core.deleteAllocation(id, reason: .administrative, now: now) { deleted += 1 }
        runActions(now)
        flushPending()
        return deleted
    }
}
