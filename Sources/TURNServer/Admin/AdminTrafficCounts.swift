/// Packets and bytes each way.
public struct AdminTrafficCounts: Codable, Hashable, Sendable {
    public var packetsToPeer: UInt64
    public var bytesToPeer: UInt64
    public var packetsToClient: UInt64
    public var bytesToClient: UInt64

    public init(packetsToPeer: UInt64 = 0, bytesToPeer: UInt64 = 0, packetsToClient: UInt64 = 0, bytesToClient: UInt64 = 0) {
        self.packetsToPeer = packetsToPeer
        self.bytesToPeer = bytesToPeer
        self.packetsToClient = packetsToClient
        self.bytesToClient = bytesToClient
    }
}
