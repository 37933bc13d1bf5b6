import NIOConcurrencyHelpers
import NIOCore
import STUNWire

/// Bounded load through a TURN relay: `pairs` pairs of allocations on the server, each pair
/// joined by channels both ways (RFC 8656 §12), every client sending ChannelData to its partner
/// at `rate` packets per second for `duration`. Each payload carries a sequence number and its
/// send time, so the receiver measures one-way latency (same host clock) and loss.
public struct TURNBench: Sendable {
    public struct Options: Sendable, Hashable {
        public var pairs: Int
        /// Packets per second from each client.
        public var rate: Int
        /// Payload bytes per packet, at least `headerBytes`.
        public var payloadBytes: Int
        public var duration: Duration
        /// How long to wait for packets still in flight after the last send.
        public var settle: Duration

        public init(pairs: Int, rate: Int, payloadBytes: Int, duration: Duration, settle: Duration = .seconds(1)) {
            self.pairs = pairs
            self.rate = rate
            self.payloadBytes = payloadBytes
            self.duration = duration
            self.settle = settle
        }
    }

    public struct Result: Sendable, Codable, Hashable {
        public var url: String
        public var pairs: Int
        public var ratePerClient: Int
        public var payloadBytes: Int
        public var durationSeconds: Double
        public var sent: UInt64
        public var received: UInt64
        public var lossPercent: Double
        /// Packets that arrived through the relay per second of sending.
        public var relayedPacketsPerSecond: Double
        public var latencyMilliseconds: Latency
    }

    public struct Latency: Sendable, Codable, Hashable {
        public var p50: Double
        public var p90: Double
        public var p99: Double
        public var max: Double
    }

    /// Sequence number and send time, both UInt64.
    public static let headerBytes = 16
    /// Limits that keep every run bounded in count and time.
    public static let maximumPairs = 500
    public static let maximumRate = 100_000
    public static let maximumDuration = Duration.seconds(600)
    public static let maximumPayloadBytes = 1200
    static let tick = Duration.milliseconds(10)
    static let channelNumber: UInt16 = 0x4001

    public let url: TURNURL
    public let username: String
    public let password: String
    public let options: Options

    public init(url: TURNURL, username: String, password: String, options: Options) throws {
        guard (1...Self.maximumPairs).contains(options.pairs) else {
            throw TURNClient.ClientError(description: "pairs must be 1...\(Self.maximumPairs)")
        }
        guard (1...Self.maximumRate).contains(options.rate) else {
            throw TURNClient.ClientError(description: "rate must be 1...\(Self.maximumRate) packets per second")
        }
        guard (Self.headerBytes...Self.maximumPayloadBytes).contains(options.payloadBytes) else {
            throw TURNClient.ClientError(description: "payload size must be \(Self.headerBytes)...\(Self.maximumPayloadBytes) bytes")
        }
        guard options.duration > .zero, options.duration <= Self.maximumDuration, options.settle <= .seconds(10) else {
            throw TURNClient.ClientError(description: "duration must be more than 0 and at most \(Self.maximumDuration)")
        }
        self.url = url
        self.username = username
        self.password = password
        self.options = options
    }

    /// Latencies in nanoseconds, from every receiver.
    final class Collector: Sendable {
        private let samples = NIOLockedValueBox<[UInt64]>([])

        func record(_ payload: ByteBuffer) {
            guard let sentAt = payload.getInteger(at: payload.readerIndex + 8, as: UInt64.self) else { return }
            let now = NIODeadline.now().uptimeNanoseconds
            samples.withLockedValue { $0.append(now > sentAt ? now - sentAt : 0) }
        }

        var count: Int { samples.withLockedValue { $0.count } }
        var all: [UInt64] { samples.withLockedValue { $0 } }
    }

    public func run(group: any EventLoopGroup) async throws -> Result {
        let server = try url.resolve()
        var clients: [TURNClient] = []
        do {
            let result = try await measure(server: server, group: group, clients: &clients)
            for client in clients { await client.close() }
            return result
        } catch {
            for client in clients { await client.close() }
            throw error
        }
    }

    /// Sets up the pairs (appending every client to `clients`, for the caller to close), sends,
    /// and collects.
    private func measure(server: TransportAddress, group: any EventLoopGroup, clients: inout [TURNClient]) async throws -> Result {
        let collector = Collector()
        // Set up every pair: both allocate, permit and bind a channel to the other's relay.
        for _ in 0..<options.pairs {
            let a = try await TURNClient(url.transport, server: server, group: group, username: username, password: password)
            clients.append(a)
            let b = try await TURNClient(url.transport, server: server, group: group, username: username, password: password)
            clients.append(b)
            let relayA = try await a.allocate()
            let relayB = try await b.allocate()
            for (client, peer) in [(a, relayB), (b, relayA)] {
                let permission = try await client.createPermission(peer)
                let bind = try await client.channelBind(Self.channelNumber, to: peer)
                guard permission.type.messageClass == .successResponse, bind.type.messageClass == .successResponse else {
                    throw TURNClient.ClientError(description: "setting up the pair failed: \(permission.errorCode.map { "\($0.code) \($0.reason)" } ?? bind.errorCode.map { "\($0.code) \($0.reason)" } ?? "?")")
                }
            }
            a.observeChannelData { _, payload in collector.record(payload) }
            b.observeChannelData { _, payload in collector.record(payload) }
        }
        let perClient = UInt64(Double(options.rate) * Self.seconds(options.duration))
        let clock = ContinuousClock()
        let start = clock.now
        let senders = clients
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            for client in senders {
                tasks.addTask { try await send(from: client, count: perClient, start: start, clock: clock) }
            }
            try await tasks.waitForAll()
        }
        let sendingTime = Self.seconds(start.duration(to: clock.now))
        let sent = perClient * UInt64(clients.count)
        let settleEnd = clock.now + options.settle
        while UInt64(collector.count) < sent, clock.now < settleEnd {
            try await Task.sleep(for: Self.tick)
        }
        for client in clients { _ = try? await client.refresh(lifetime: 0) }
        let latencies = collector.all.sorted()
        let received = UInt64(latencies.count)
        return Result(
            url: url.description, pairs: options.pairs, ratePerClient: options.rate, payloadBytes: options.payloadBytes,
            durationSeconds: Self.round(sendingTime), sent: sent, received: received,
            lossPercent: sent == 0 ? 0 : Self.round(Double(sent - min(sent, received)) * 100 / Double(sent)),
            relayedPacketsPerSecond: Self.round(Double(received) / max(sendingTime, 0.001)),
            latencyMilliseconds: Latency(
                p50: Self.percentile(latencies, 0.50), p90: Self.percentile(latencies, 0.90),
                p99: Self.percentile(latencies, 0.99), max: Self.milliseconds(latencies.last ?? 0)))
    }

    /// Sends `count` packets at the configured rate: every tick, the packets due by then.
    private func send(from client: TURNClient, count: UInt64, start: ContinuousClock.Instant, clock: ContinuousClock) async throws {
        var sequence: UInt64 = 0
        let padding = [UInt8](repeating: 0x5A, count: options.payloadBytes - Self.headerBytes)
        let rate = Double(options.rate)
        while sequence < count {
            let elapsed = Self.seconds(start.duration(to: clock.now))
            let due = min(count, UInt64(elapsed * rate) + 1)
            var batch: [ByteBuffer] = []
            batch.reserveCapacity(Int(due - min(due, sequence)))
            while sequence < due {
                var payload = ByteBuffer()
                payload.writeInteger(sequence)
                payload.writeInteger(NIODeadline.now().uptimeNanoseconds)
                payload.writeBytes(padding)
                var framed = ByteBuffer()
                ChannelData(channel: ChannelNumber(rawValue: Self.channelNumber), payload: payload)
                    .encode(into: &framed, padded: url.transport != .udp)
                batch.append(framed)
                sequence += 1
            }
            try await client.sendBatch(batch)
            if sequence < count { try await Task.sleep(for: Self.tick) }
        }
    }

    static func percentile(_ sorted: [UInt64], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let index = min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)
        return milliseconds(sorted[max(0, index)])
    }

    static func milliseconds(_ nanoseconds: UInt64) -> Double {
        round(Double(nanoseconds) / 1e6)
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    static func round(_ value: Double) -> Double {
        (value * 1000).rounded() / 1000
    }
}
