/// Packets and bytes relayed each way: plain integers bumped on the data path (no allocation,
/// no lock), read by the shell for metrics and the admin API.
public struct TrafficCounters: Hashable, Sendable {
    public var packetsToPeer: UInt64 = 0
    public var bytesToPeer: UInt64 = 0
    public var packetsToClient: UInt64 = 0
    public var bytesToClient: UInt64 = 0

    public init() {}

    public func packets(_ direction: TrafficDirection) -> UInt64 {
        switch direction {
        case .toPeer: packetsToPeer
        case .toClient: packetsToClient
        }
    }

    public func bytes(_ direction: TrafficDirection) -> UInt64 {
        switch direction {
        case .toPeer: bytesToPeer
        case .toClient: bytesToClient
        }
    }

    mutating func record(_ direction: TrafficDirection, bytes: Int) {
        switch direction {
        case .toPeer:
            packetsToPeer &+= 1
            bytesToPeer &+= UInt64(bytes)
        case .toClient:
            packetsToClient &+= 1
            bytesToClient &+= UInt64(bytes)
        }
    }
}
