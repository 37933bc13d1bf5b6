import NIOCore
import TURNCore

extension TURNServer {
    public func stats() async -> AdminStats {
        let samples = await workerSamples()
        let counters = WorkerCounters.sum(samples.map(\.counters))
        var kinds: [String: Int] = [:]
        var permissions = 0
        var channels = 0
        for sample in samples {
            for (kind, count) in sample.statistics.allocations { kinds["\(kind.family)/\(kind.transport.rawValue)", default: 0] += count }
            permissions += sample.statistics.permissions
            channels += sample.statistics.channels
        }
        var relayed: [String: AdminTrafficCounts] = [:]
        var dropped: [String: UInt64] = [:]
        var datapaths = [WorkerSample.userspace(samples)]
        for source in metrics.extraSources { datapaths.append(await source.sample()) }
        for datapath in datapaths {
            relayed[datapath.datapath] = AdminTrafficCounts(datapath.traffic)
            for (reason, count) in datapath.drops where count > 0 { dropped["\(reason)/\(datapath.datapath)", default: 0] += count }
        }
        var tables: [String: Int] = [:]
        for sample in samples {
            for (name, count) in sample.statistics.tables { tables[name, default: 0] += count }
        }
        let listeners = await liveListeners()
        var stats = AdminStats(
            ready: isReady, draining: isDraining, eventLoops: samples.count, uptimeSeconds: metrics.created.duration(to: .now).seconds,
            allocations: kinds.values.reduce(0, +), allocationsByKind: kinds, permissions: permissions, channels: channels,
            streamConnections: streamConnectionCount, allocationsCreated: counters.allocationsCreated,
            allocationsDeleted: Dictionary(uniqueKeysWithValues: counters.allocationsDeleted.map { ($0.key.rawValue, $0.value) }),
            relayed: relayed, dropped: dropped,
            requests: Dictionary(uniqueKeysWithValues: counters.requests.map { ("\($0.key.method) \($0.key.result)", $0.value) }),
            authenticationFailures: Dictionary(uniqueKeysWithValues: counters.authenticationFailures.map { ($0.key.rawValue, $0.value) }),
            listeners: listeners.up)
        stats.listenersDown = listeners.down
        stats.tables = tables
        stats.streams = AdminStreamStats(streamSample())
        stats.xdpInterfaces = xdpStatistics?.interfaces ?? []
        return stats
    }
}
