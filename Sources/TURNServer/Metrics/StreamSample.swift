/// The TCP/TLS pipeline's numbers at a scrape (`StreamStatistics`, the budgets), server-wide.
struct StreamSample: Sendable {
    var connections = 0
    /// Sources (IPv4 addresses, IPv6 /64s) with a connection open.
    var sources = 0
    var queuedBytes = 0
    var peakQueuedBytes = 0
    var partialFrameBytes = 0
    var droppedPackets: UInt64 = 0
    var droppedBytes: UInt64 = 0
    var closed: [StreamCloseReason: UInt64] = [:]
}

extension TURNServer {
    func streamSample() -> StreamSample {
        var sample = StreamSample()
        sample.connections = connections.count
        sample.sources = sourceConnections.sources
        sample.queuedBytes = streamStatistics.queuedBytes
        sample.peakQueuedBytes = streamStatistics.peakQueuedBytes
        sample.partialFrameBytes = partialFrames.bytes
        sample.droppedPackets = streamStatistics.packetsDropped
        sample.droppedBytes = streamStatistics.bytesDropped
        for reason in StreamCloseReason.allCases { sample.closed[reason] = streamStatistics.closes(reason) }
        return sample
    }
}
