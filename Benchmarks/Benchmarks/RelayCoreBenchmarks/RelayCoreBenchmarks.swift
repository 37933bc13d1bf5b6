import Benchmark
import NIOCore
import STUNWire
import TURNCore

/// ns and mallocs per routed ChannelData in each direction, and authenticated Allocates per second.
let benchmarks: @Sendable () -> Void = {
    let metrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .mallocCountTotal, .throughput]
    Benchmark.defaultConfiguration = .init(metrics: metrics, maxDuration: .seconds(3), maxIterations: 1_000_000)

    Benchmark("ChannelData client to peer", configuration: .init(scalingFactor: .kilo)) { benchmark in
        let bench = RelayBench()
        let datagram = bench.channelDataDatagram
        let tuple = bench.client
        let now = bench.now
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(bench.core.handleClientDatagram(datagram, from: tuple, now: now))
        }
        benchmark.stopMeasurement()
        precondition(bench.core.drops.total == 0, "the benchmark's packets were dropped")
    }

    Benchmark("ChannelData peer to client", configuration: .init(scalingFactor: .kilo)) { benchmark in
        let bench = RelayBench()
        let payload = bench.payload
        let peer = bench.peer
        let relayed = bench.relayed
        let now = bench.now
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(bench.core.handlePeerDatagram(payload, from: peer, to: relayed, now: now))
        }
        benchmark.stopMeasurement()
        precondition(bench.core.drops.total == 0, "the benchmark's packets were dropped")
    }

    Benchmark("ChannelData client to peer, budgets on", configuration: .init(scalingFactor: .kilo)) { benchmark in
        let bench = RelayBench(budgets: true)
        let datagram = bench.channelDataDatagram
        let tuple = bench.client
        let now = bench.now
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(bench.core.handleClientDatagram(datagram, from: tuple, now: now))
        }
        benchmark.stopMeasurement()
        precondition(bench.core.drops.total == 0, "the benchmark's packets were dropped")
    }

    Benchmark("ChannelData peer to client, budgets on", configuration: .init(scalingFactor: .kilo)) { benchmark in
        let bench = RelayBench(budgets: true)
        let payload = bench.payload
        let peer = bench.peer
        let relayed = bench.relayed
        let now = bench.now
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(bench.core.handlePeerDatagram(payload, from: peer, to: relayed, now: now))
        }
        benchmark.stopMeasurement()
        precondition(bench.core.drops.total == 0, "the benchmark's packets were dropped")
    }

    Benchmark("Authenticated Allocate", configuration: .init(maxIterations: 10_000)) { benchmark in
        let bench = RelayBench()
        let requests = (0..<benchmark.scaledIterations.count).map { bench.allocateRequest(clientPort: UInt16(1_000 + $0 % 60_000)) }
        benchmark.startMeasurement()
        for (tuple, request) in requests {
            bench.core.handleClientDatagram(request, from: tuple, now: bench.now)
            bench.completeAllocate()
        }
        benchmark.stopMeasurement()
    }
}

/// A core with one UDP allocation that has a channel bound to one peer.
final class RelayBench: @unchecked Sendable {
    static let realm = "bench.test"
    static let username = "bench"
    static let password = "bench password"
    static let channel = ChannelNumber(rawValue: 0x4000)

    var core: RelayCore
    let now = Now(monotonic: .seconds(1_000), unixSeconds: 1_800_000_000)
    let server = TransportAddress("10.0.0.1:3478")!
    let client: FiveTuple
    let peer = TransportAddress("93.184.216.34:5000")!
    var relayed = TransportAddress("10.0.0.5:1")!
    let payload = ByteBuffer(repeating: 0xAB, count: 1_000)
    let key: [UInt8]
    var transaction: UInt64 = 0

    /// `budgets`: per-allocation and per-user byte budgets too large to drop anything, so their
    /// bookkeeping is measured.
    init(budgets: Bool = false) {
        client = FiveTuple(client: TransportAddress("81.2.3.4:40000")!, server: server, transport: .udp)
        let credentials = try! CredentialStore(realm: Self.realm, users: [Self.username: .password(Self.password)])
        var configuration = RelayConfiguration(
            relayAddresses: [.ipv4: RelayAddress(local: IPAddress("10.0.0.5")!, advertised: IPAddress("44.0.0.5")!)],
            credentials: credentials, nonceIssuer: NonceIssuer(key: [UInt8](repeating: 9, count: 32)),
            peerPolicy: PeerPolicy(ownRelayAddresses: [IPAddress("10.0.0.5")!, IPAddress("44.0.0.5")!], serverEndpoints: [server]))
        configuration.allocationsPerUser = .max
        configuration.maximumAllocations = .max
        if budgets {
            configuration.bandwidthPerAllocation = BandwidthLimit(bytesPerSecond: .max / 4, burstBytes: .max / 4)
            configuration.bandwidthPerUser = BandwidthLimit(bytesPerSecond: .max / 4, burstBytes: .max / 4)
        }
        core = RelayCore(configuration: configuration, random: RelayRandom(seed: 7), now: now)
        key = try! LongTermCredentials.key(username: Self.username, realm: Self.realm, password: Self.password, algorithm: .sha256)

        let (tuple, allocate) = allocateRequest(clientPort: 40_000)
        core.handleClientDatagram(allocate, from: tuple, now: now)
        relayed = completeAllocate()!
        core.handleClientDatagram(
            request(.channelBind, [.channelNumber(Self.channel), .xorPeerAddress(peer)], from: client), from: client, now: now)
        _ = core.drainActions()
    }

    var channelDataDatagram: ByteBuffer {
        var buffer = ByteBuffer()
        ChannelData(channel: Self.channel, payload: payload).encode(into: &buffer, padded: false)
        return buffer
    }

    func allocateRequest(clientPort: UInt16) -> (FiveTuple, ByteBuffer) {
        let tuple = FiveTuple(client: TransportAddress(ip: IPAddress("81.2.3.4")!, port: clientPort), server: server, transport: .udp)
        return (tuple, request(.allocate, [.requestedTransport(17)], from: tuple))
    }

    func request(_ method: STUNWire.Method, _ attributes: [Attribute], from tuple: FiveTuple) -> ByteBuffer {
        transaction += 1
        let message = STUNMessage(
            type: MessageType(method, .request), transactionID: TransactionID(high: transaction, low: 1),
            attributes: attributes + [
                .username(Self.username), .realm(Self.realm),
                .nonce(core.configuration.nonceIssuer.issue(for: tuple.client, now: now)),
                .passwordAlgorithms([.sha256, .md5]), .passwordAlgorithm(.sha256),
            ])
        return try! message.encode(EncodingOptions(messageIntegritySHA256Key: key))
    }

    /// Answers the Allocate's port request as a shell would; returns the local relayed address.
    /// Allocations made after the first are deleted again so ports do not run out.
    @discardableResult
    func completeAllocate() -> TransportAddress? {
        var local: TransportAddress?
        for action in core.drainActions() {
            if case .openRelayPorts(let request) = action {
                local = request.addresses.first
                core.relayOpened(request.id, now: now)
            }
        }
        for action in core.drainActions() {
            if case .event(.allocationCreated(let id, _, _, _)) = action, id.rawValue > 1 {
                core.deleteAllocation(id, now: now)
            }
        }
        _ = core.drainActions()
        return local
    }
}
