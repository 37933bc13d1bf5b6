import TURNCore
import TurnpikeXDP

extension TrafficCounters {
    /// The kernel's counters of one route, in the userspace unit (application data bytes).
    init(_ kernel: XDPRouteCounters) {
        self.init()
        packetsToPeer = kernel.toPeerPackets
        bytesToPeer = kernel.toPeerBytes
        packetsToClient = kernel.toClientPackets
        bytesToClient = kernel.toClientBytes
    }

    var isZero: Bool { self == TrafficCounters() }

    static func += (lhs: inout Self, rhs: Self) {
        lhs.packetsToPeer &+= rhs.packetsToPeer
        lhs.bytesToPeer &+= rhs.bytesToPeer
        lhs.packetsToClient &+= rhs.packetsToClient
        lhs.bytesToClient &+= rhs.bytesToClient
    }
}
