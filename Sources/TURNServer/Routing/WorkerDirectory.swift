import NIOCore
import STUNWire

/// Which worker owns which relay port, for traffic from one allocation to another on this
/// server (DESIGN.md: delivered internally, never sent out and back in, since a cloud VM cannot
/// reach its own public address). Each worker's core owns a disjoint slice of the relay port
/// range, so the port names the owner. Immutable once the server has started.
final class WorkerDirectory: Sendable {
    let workers: [RelayWorker]
    let relayPorts: ClosedRange<UInt16>
    /// Bound and advertised relay addresses, as a peer would name them.
    let ownRelayAddresses: [IPAddress]
    /// Bound address → advertised address per family, to name the sender of internal traffic
    /// as the receiving client would see it.
    private let advertisedByLocal: [IPAddress: IPAddress]

    init(workers: [RelayWorker], relayPorts: ClosedRange<UInt16>, ownRelayAddresses: [IPAddress], advertisedByLocal: [IPAddress: IPAddress]) {
        self.workers = workers
        self.relayPorts = relayPorts
        self.ownRelayAddresses = ownRelayAddresses
        self.advertisedByLocal = advertisedByLocal
    }

    /// True when `destination` is a relayed transport address of this server.
    func isOwnRelay(_ destination: TransportAddress) -> Bool {
        relayPorts.contains(destination.port) && ownRelayAddresses.contains(destination.ip)
    }

    /// The worker whose core allocates `port`.
    func owner(of port: UInt16) -> RelayWorker? {
        ServerConfiguration.worker(owning: port, in: relayPorts, workers: workers.count).map { workers[$0] }
    }

    /// The advertised form of a local relayed address.
    func advertised(_ local: TransportAddress) -> TransportAddress {
        TransportAddress(ip: advertisedByLocal[local.ip] ?? local.ip, port: local.port)
    }
}
