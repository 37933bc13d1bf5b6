import TURNCore

/// What one event loop reports at a scrape: its event counters and its core's statistics, read
/// on that loop.
struct WorkerSample: Sendable {
    var counters: WorkerCounters
    var statistics: CoreStatistics
}

extension RelayWorker {
    /// Called on `eventLoop`.
    func sample() -> WorkerSample {
        var statistics = core.statistics(now: ServerClock.now().monotonic)
        // The shell's own tables next to the core's.
        statistics.tables["relay_sockets"] = relaySockets.count
        statistics.tables["stream_connections"] = streams.count
        var counters = self.counters
        counters.sendFailures = sendQueue.failures
        counters.datagramsSent = sendQueue.sent
        counters.sendSystemCalls = sendQueue.systemCalls
        return WorkerSample(counters: counters, statistics: statistics)
    }

    /// The metrics hook of `record(_:)`: count the event, and time a request from its arrival
    /// (the input that carried it, or the Allocate waiting for its relay port) to its response.
    func observe(_ event: RelayEvent) {
        counters.count(event)
        if case .requestAnswered = event, let arrival = inputArrival, let latency = requestLatency {
            latency.record(ServerClock.now().monotonic.since(arrival))
        }
    }
}

extension WorkerSample {
    /// The userspace datapath's cumulative traffic and drops over these loops.
    static func userspace(_ samples: [WorkerSample]) -> DatapathSample {
        var traffic = TrafficCounters()
        var drops: [String: UInt64] = [:]
        for reason in DropReason.allCases { drops[reason.rawValue] = 0 }
        for sample in samples {
            let counters = sample.statistics.traffic
            traffic.packetsToPeer &+= counters.packetsToPeer
            traffic.bytesToPeer &+= counters.bytesToPeer
            traffic.packetsToClient &+= counters.packetsToClient
            traffic.bytesToClient &+= counters.bytesToClient
            for reason in DropReason.allCases { drops[reason.rawValue, default: 0] &+= sample.statistics.drops[reason] }
            drops[WorkerCounters.sourcePortZeroReason, default: 0] &+= sample.counters.sourcePortZero
        }
        return DatapathSample(datapath: ServerMetrics.userspaceDatapath, traffic: traffic, drops: drops)
    }
}
