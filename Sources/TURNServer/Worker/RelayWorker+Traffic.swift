import Logging
import STUNWire
import TURNCore

extension RelayWorker {
    /// The userspace traffic of an ended allocation's relay sockets (closed by then), forgotten
    /// once taken. `relayed` may be the advertised addresses: they share family and port.
    func takeClosedTraffic(of relayed: [TransportAddress]) -> TrafficCounters {
        var sum = TrafficCounters()
        for address in relayed {
            if let closed = closedRelayTraffic.removeValue(forKey: RelayPortKey(address)) { sum += closed }
        }
        return sum
    }

    /// The userspace traffic of a live allocation so far: its open relay sockets and any family
    /// of it already closed.
    func liveTraffic(of relayed: [TransportAddress]) -> TrafficCounters {
        let keys = Set(relayed.map(RelayPortKey.init))
        var sum = TrafficCounters()
        for (local, outlet) in relaySockets where keys.contains(RelayPortKey(local)) { sum += outlet.traffic.counters }
        for key in keys { sum += closedRelayTraffic[key] ?? TrafficCounters() }
        return sum
    }

    /// Log fields for one datapath's share of an allocation's traffic.
    static func trafficMetadata(_ traffic: TrafficCounters, datapath: String) -> Logger.Metadata {
        [
            "\(datapath)_to_peer_packets": .stringConvertible(traffic.toPeerPackets),
            "\(datapath)_to_peer_bytes": .stringConvertible(traffic.toPeerBytes),
            "\(datapath)_to_client_packets": .stringConvertible(traffic.toClientPackets),
            "\(datapath)_to_client_bytes": .stringConvertible(traffic.toClientBytes),
        ]
    }
}
