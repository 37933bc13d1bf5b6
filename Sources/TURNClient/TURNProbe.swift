import NIOCore
import STUNWire

/// An end-to-end check of a TURN server (RFC 8656) with two allocations on it talking to each
/// other: binding, authentication, allocations, permissions, channels, data both ways,
/// refresh and delete. Each step is timed; the first failure ends the probe.
public struct TURNProbe: Sendable {
    public struct Step: Sendable, Codable, Hashable {
        public var name: String
        public var ok: Bool
        public var milliseconds: Double
        public var detail: String
    }

    public struct Report: Sendable, Codable, Hashable {
        public var url: String
        public var steps: [Step]
        public var passed: Bool
        /// The failed step's name and reason, nil on success.
        public var failure: String?
        public var totalMilliseconds: Double
    }

    struct StepFailure: Error {
        var reason: String
    }

    static let channelNumber: UInt16 = 0x4000
    static let refreshLifetime: UInt32 = 600
    static let dataTimeout = TimeAmount.seconds(3)

    public let url: TURNURL
    public let username: String
    public let password: String
    /// Over TLS, verify the server's certificate against the URL's host.
    public let verifyCertificate: Bool

    public init(url: TURNURL, username: String, password: String, verifyCertificate: Bool = false) {
        self.url = url
        self.username = username
        self.password = password
        self.verifyCertificate = verifyCertificate
    }

    public func run(group: any EventLoopGroup, progress: @escaping @Sendable (Step) -> Void = { _ in }) async -> Report {
        let recorder = StepRecorder(progress: progress)
        let start = recorder.clock.now
        var clients: [TURNClient] = []
        if let server = await recorder.step("connect", { () async throws -> (TransportAddress, String) in
            let server = try url.resolve()
            return (server, "\(url.transport) to \(server)")
        }) {
            do {
                let name = verifyCertificate ? url.host : nil
                for _ in 0..<2 {
                    clients.append(try await TURNClient(
                        url.transport, server: server, group: group, username: username, password: password, tlsServerName: name))
                }
            } catch {
                recorder.fail("connect", "cannot reach \(server) over \(url.transport): \(error)")
            }
        }
        if clients.count == 2 {
            await exchange(clients[0], clients[1], recorder)
        }
        for client in clients { await client.close() }
        return Report(
            url: url.description, steps: recorder.steps, passed: recorder.failure == nil, failure: recorder.failure,
            totalMilliseconds: Self.milliseconds(start.duration(to: recorder.clock.now)))
    }

    /// Every step after connecting; returns at the first failure.
    private func exchange(_ a: TURNClient, _ b: TURNClient, _ recorder: StepRecorder) async {
        let token = "turnpike-probe-\(NIODeadline.now().uptimeNanoseconds)"
        guard await recorder.step("binding", { () async throws -> (Bool, String) in
            let response = try await a.transact(.binding, authenticate: false)
            guard response.type.messageClass == .successResponse, let mapped = response.xorMappedAddress else {
                throw StepFailure(reason: "Binding failed: \(Self.describe(response))")
            }
            return (true, "mapped address \(mapped)")
        }) != nil else { return }
        guard let relayA = await recorder.step("auth", { () async throws -> (TransportAddress, String) in
            let challenge = try await a.transact(.allocate, [.requestedTransport(Self.udp)], authenticate: false)
            guard challenge.errorCode?.code == 401, let realm = challenge.realm, let nonce = challenge.nonce else {
                throw StepFailure(reason: "expected a 401 challenge with REALM and NONCE, got \(Self.describe(challenge))")
            }
            a.realm = realm
            a.nonce = nonce
            let response = try await a.transact(.allocate, [.requestedTransport(Self.udp)])
            if response.errorCode?.code == 401 {
                throw StepFailure(reason: "credentials refused (401 Unauthorized) in realm \"\(realm)\": wrong username or password, or an expired credential")
            }
            guard response.type.messageClass == .successResponse, let relayed = response.xorRelayedAddresses.first else {
                throw StepFailure(reason: "authenticated Allocate failed: \(Self.describe(response))")
            }
            return (relayed, "realm \"\(realm)\", credentials accepted; allocation 1 relays from \(relayed)")
        }) else { return }
        guard let relayB = await recorder.step("allocate", { () async throws -> (TransportAddress, String) in
            let relayed = try await b.allocate()
            return (relayed, "allocation 2 relays from \(relayed)")
        }) else { return }
        guard await recorder.step("permission", { () async throws -> (Bool, String) in
            try Self.expectSuccess(try await a.createPermission(relayB), "CreatePermission")
            try Self.expectSuccess(try await b.createPermission(relayA), "CreatePermission")
            return (true, "each allocation permits the other's relayed address")
        }) != nil else { return }
        guard await recorder.step("channel", { () async throws -> (Bool, String) in
            try Self.expectSuccess(try await a.channelBind(Self.channelNumber, to: relayB), "ChannelBind")
            try Self.expectSuccess(try await b.channelBind(Self.channelNumber, to: relayA), "ChannelBind")
            return (true, "channel 0x4000 bound both ways")
        }) != nil else { return }
        for (name, sender, receiver, suffix) in [("data 1->2", a, b, "-a"), ("data 2->1", b, a, "-b")] {
            guard await recorder.step(name, { () async throws -> (Bool, String) in
                try await sender.sendChannelData(Self.channelNumber, token + suffix)
                let received = try await receiver.receiveData(within: Self.dataTimeout)
                guard received.payload == token + suffix else { throw StepFailure(reason: "received other data: \(received.payload)") }
                return (true, "\(token.utf8.count + suffix.utf8.count) bytes arrived through the relay")
            }) != nil else { return }
        }
        guard await recorder.step("refresh", { () async throws -> (Bool, String) in
            let response = try await a.refresh(lifetime: Self.refreshLifetime)
            try Self.expectSuccess(response, "Refresh")
            return (true, "lifetime \(response.lifetime.map(String.init) ?? "?") s")
        }) != nil else { return }
        _ = await recorder.step("delete", { () async throws -> (Bool, String) in
            try Self.expectSuccess(try await a.refresh(lifetime: 0), "Refresh (LIFETIME 0)")
            try Self.expectSuccess(try await b.refresh(lifetime: 0), "Refresh (LIFETIME 0)")
            return (true, "both allocations deleted")
        })
    }

    /// Runs and times the steps, stopping the probe's story at the first failure.
    final class StepRecorder {
        let clock = ContinuousClock()
        let progress: (Step) -> Void
        var steps: [Step] = []
        var failure: String?

        init(progress: @escaping (Step) -> Void) {
            self.progress = progress
        }

        /// Runs one step; its value, or nil (recorded as the failure) when it threw.
        func step<Value>(_ name: String, _ body: () async throws -> (Value, String)) async -> Value? {
            let begin = clock.now
            do {
                let (value, detail) = try await body()
                record(Step(name: name, ok: true, milliseconds: TURNProbe.milliseconds(begin.duration(to: clock.now)), detail: detail))
                return value
            } catch let error as StepFailure {
                fail(name, error.reason, since: begin)
            } catch is MailboxTimeout {
                fail(name, "no answer within the timeout", since: begin)
            } catch {
                fail(name, "\(error)", since: begin)
            }
            return nil
        }

        func fail(_ name: String, _ detail: String, since begin: ContinuousClock.Instant? = nil) {
            let elapsed = begin.map { TURNProbe.milliseconds($0.duration(to: clock.now)) } ?? 0
            record(Step(name: name, ok: false, milliseconds: elapsed, detail: detail))
            failure = "\(name): \(detail)"
        }

        private func record(_ step: Step) {
            steps.append(step)
            progress(step)
        }
    }

    /// REQUESTED-TRANSPORT UDP (RFC 8656 §14.7).
    static let udp: UInt8 = 17

    static func expectSuccess(_ response: STUNMessage, _ what: String) throws {
        guard response.type.messageClass == .successResponse else {
            throw StepFailure(reason: "\(what) failed: \(describe(response))")
        }
    }

    static func describe(_ response: STUNMessage) -> String {
        if let error = response.errorCode { return "\(error.code) \(error.reason)" }
        return "\(response.type)"
    }

    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return ((Double(seconds) * 1e3 + Double(attoseconds) / 1e15) * 100).rounded() / 100
    }
}
