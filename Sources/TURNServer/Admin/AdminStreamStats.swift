/// The TCP/TLS pipeline in `turnpike stats`: what waits in outbound queues and deframers, and
/// what was dropped or refused.
public struct AdminStreamStats: Codable, Hashable, Sendable {
    /// Sources (IPv4 addresses, IPv6 /64s) with a connection open.
    public var sources = 0
    /// Bytes waiting in all outbound queues now.
    public var queuedBytes = 0
    /// The most one connection's outbound queue has held since the start.
    public var peakQueuedBytes = 0
    /// Bytes held for incomplete frames now.
    public var partialFrameBytes = 0
    /// Relayed packets (and their bytes) dropped because a connection's queue was full.
    public var droppedPackets: UInt64 = 0
    public var droppedBytes: UInt64 = 0
    /// Connections refused or closed, by reason; non-zero only.
    public var closed: [String: UInt64] = [:]

    public init() {}

    init(_ sample: StreamSample) {
        sources = sample.sources
        queuedBytes = sample.queuedBytes
        peakQueuedBytes = sample.peakQueuedBytes
        partialFrameBytes = sample.partialFrameBytes
        droppedPackets = sample.droppedPackets
        droppedBytes = sample.droppedBytes
        for (reason, count) in sample.closed where count > 0 { closed[reason.rawValue] = count }
    }
}
