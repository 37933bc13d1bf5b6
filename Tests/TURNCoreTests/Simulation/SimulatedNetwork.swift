import NIOCore
import STUNWire
@testable import TURNCore

/// A datagram in flight in the simulated network.
enum SimulatedPacket {
    /// From a client's external address to the server.
    case toServer(ByteBuffer, FiveTuple)
    /// From a peer to a relayed address.
    case toRelay(ByteBuffer, from: TransportAddress, to: TransportAddress)
    /// From the server to a client's external address.
    case toClient(ByteBuffer, TransportAddress)
    /// From a relayed address to a peer.
    case toPeer(ByteBuffer, from: TransportAddress, to: TransportAddress)
}

/// Seeded loss and delay (delay jitter reorders), delivered in time order (str0m-style emulator).
struct SimulatedNetwork {
    struct Scheduled {
        var at: Instant
        var sequence: UInt64
        var packet: SimulatedPacket
    }

    var lossRate: Double
    var baseDelay: Duration = .milliseconds(5)
    var jitter: Duration
    private(set) var queue: [Scheduled] = []
    private var sequence: UInt64 = 0
    private(set) var lost = 0

    init(lossRate: Double, jitter: Duration) {
        self.lossRate = lossRate
        self.jitter = jitter
    }

    var nextDelivery: Instant? { queue.first?.at }

    mutating func send(_ packet: SimulatedPacket, now: Instant, random: inout RelayRandom) {
        if lossRate > 0, Double.random(in: 0..<1, using: &random) < lossRate {
            lost += 1
            return
        }
        let jitterNanoseconds = jitter.nanosecondsClamped
        let extra = jitterNanoseconds == 0 ? 0 : UInt64.random(in: 0...jitterNanoseconds, using: &random)
        let at = now + baseDelay + .nanoseconds(Int64(extra))
        sequence += 1
        let entry = Scheduled(at: at, sequence: sequence, packet: packet)
        let index = queue.firstIndex { ($0.at, $0.sequence) > (at, sequence) } ?? queue.endIndex
        queue.insert(entry, at: index)
    }

    mutating func popDue(now: Instant) -> SimulatedPacket? {
        guard let first = queue.first, first.at <= now else { return nil }
        queue.removeFirst()
        return first.packet
    }
}
