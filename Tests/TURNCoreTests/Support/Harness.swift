import NIOCore
import STUNWire
@testable import TURNCore

/// A core with a manual clock, answering relay-port requests the way a shell would.
struct Harness {
    var core: RelayCore
    var now: Now
    /// Opening relay ports fails for these local ports (simulating a port taken by another core).
    var failingPorts: Set<UInt16> = []
    /// When false, `openRelayPorts` is left for the test to answer.
    var answerPortRequests = true

    init(_ configuration: RelayConfiguration = Fixture.configuration(), seed: UInt64 = 42, now: Now = Fixture.start) {
        core = RelayCore(configuration: configuration, random: RelayRandom(seed: seed), now: now)
        self.now = now
    }

    mutating func advance(_ duration: Duration) {
        now.monotonic = now.monotonic + duration
        now.unixSeconds += duration.nanosecondsClamped / 1_000_000_000
    }

    /// Advances to `duration` later and fires due timers.
    mutating func tick(_ duration: Duration) -> [RelayAction] {
        advance(duration)
        core.handleTimeout(now: now)
        return settle()
    }

    /// Drains actions, answering port requests (and draining what that produces).
    mutating func settle() -> [RelayAction] {
        var all: [RelayAction] = []
        var batch = core.drainActions()
        while !batch.isEmpty {
            var next: [RelayAction] = []
            for action in batch {
                all.append(action)
                if answerPortRequests, case .openRelayPorts(let request) = action {
                    if request.addresses.contains(where: { failingPorts.contains($0.port) }) {
                        core.relayOpenFailed(request.id, now: now)
                    } else {
                        core.relayOpened(request.id, now: now)
                    }
                    next += core.drainActions()
                }
            }
            batch = next
        }
        return all
    }

    mutating func send(_ bytes: ByteBuffer, from fiveTuple: FiveTuple) -> [RelayAction] {
        core.handleClientDatagram(bytes, from: fiveTuple, now: now)
        return settle()
    }

    mutating func route(_ bytes: ByteBuffer, from fiveTuple: FiveTuple) -> (RelayRoute, [RelayAction]) {
        let route = core.handleClientDatagram(bytes, from: fiveTuple, now: now)
        return (route, settle())
    }

    mutating func fromPeer(_ payload: ByteBuffer, from peer: TransportAddress, to relayed: TransportAddress) -> (RelayRoute, [RelayAction]) {
        let route = core.handlePeerDatagram(payload, from: peer, to: relayed, now: now)
        return (route, settle())
    }

    /// Gets a nonce through the 401 challenge (RFC 8489 §9.2.4).
    mutating func login(_ client: inout TestClient) {
        let actions = send(client.plainRequest(.allocate, [.requestedTransport(17)]), from: client.fiveTuple)
        guard let challenge = Decode.responses(actions).first, let nonce = challenge.nonce else {
            fatalError("no 401 challenge in \(actions)")
        }
        client.nonce = nonce
    }

    /// Logs in and allocates; returns the response and all actions.
    @discardableResult
    mutating func allocate(_ client: inout TestClient, _ extra: [Attribute] = []) -> (STUNMessage, [RelayAction]) {
        if client.nonce == nil { login(&client) }
        let actions = send(client.request(.allocate, [.requestedTransport(17)] + extra), from: client.fiveTuple)
        guard let response = Decode.responses(actions).last else { fatalError("no Allocate response in \(actions)") }
        return (response, actions)
    }

    /// The local relayed address of an allocation, from its (advertised) XOR-RELAYED-ADDRESS.
    static func local(_ advertised: TransportAddress) -> TransportAddress {
        switch advertised.ip {
        case Fixture.relayPublicV4: TransportAddress(ip: Fixture.relayLocalV4, port: advertised.port)
        case Fixture.relayPublicV6: TransportAddress(ip: Fixture.relayLocalV6, port: advertised.port)
        default: advertised
        }
    }
}

/// Reading what the core sent.
enum Decode {
    static func responses(_ actions: [RelayAction]) -> [STUNMessage] {
        actions.compactMap { action in
            guard case .sendToClient(_, let bytes) = action, STUNMessage.looksLikeSTUN(bytes) else { return nil }
            return try? STUNMessage.decode(bytes).message
        }
    }

    /// Data indications (and any other STUN message) relayed to a client (`.relayToClient`).
    static func relayed(_ actions: [RelayAction]) -> [STUNMessage] {
        actions.compactMap { action in
            guard case .relayToClient(_, let bytes) = action, STUNMessage.looksLikeSTUN(bytes) else { return nil }
            return try? STUNMessage.decode(bytes).message
        }
    }

    static func sentBytes(_ actions: [RelayAction]) -> [ByteBuffer] {
        actions.compactMap { if case .sendToClient(_, let bytes) = $0 { bytes } else { nil } }
    }

    static func withoutEvents(_ actions: [RelayAction]) -> [RelayAction] {
        actions.filter { if case .event = $0 { false } else { true } }
    }

    static func events(_ actions: [RelayAction]) -> [RelayEvent] {
        actions.compactMap { if case .event(let event) = $0 { event } else { nil } }
    }

    static func buffer(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }
}
