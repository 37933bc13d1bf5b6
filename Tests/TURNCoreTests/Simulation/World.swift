import NIOCore
import STUNWire
@testable import TURNCore

/// Clients, peers, a simulated network and one core, under a manual clock and one seed.
struct World {
    struct Scenario {
        var clients = 12
        var lossRate = 0.0
        var jitter: Duration = .milliseconds(20)
        var rebindingRate = 0.0
        var portFailureRate = 0.0
        var activeFor: Duration = .seconds(60)
    }

    struct Key: Hashable {
        var client: Int
        var generation: Int
        var sequence: Int
    }

    static let allowedPeerCount = 12
    static let refusedPeers = [
        TransportAddress("127.0.0.1:80")!, TransportAddress("10.0.0.9:22")!, TransportAddress("169.254.169.254:80")!,
        TransportAddress("192.168.0.1:53")!, TransportAddress("100.64.0.1:443")!,
    ]

    static func peerAddress(_ index: Int) -> TransportAddress {
        TransportAddress(ip: .v4(IPv4Address(93, 184, 217, UInt8(index + 1))), port: UInt16(6000 + index))
    }

    static func peerIndex(_ address: TransportAddress) -> Int? {
        (0..<allowedPeerCount).first { peerAddress($0) == address }
    }

    let seed: UInt64
    let scenario: Scenario
    var now: Now
    var core: RelayCore
    var random: RelayRandom
    var network: SimulatedNetwork
    var clients: [SimulatedClient] = []
    var rebindAt: [Int: Instant] = [:]

    var openPorts: Set<TransportAddress> = []
    var routes: Set<ChannelRoute> = []
    var sent: [Key: Int] = [:]
    var delivered: [Key: Int] = [:]
    var echoed: [Key: Int] = [:]
    var violations: [String] = []

    init(seed: UInt64, scenario: Scenario) {
        self.seed = seed
        self.scenario = scenario
        now = Fixture.start
        random = RelayRandom(seed: seed)
        core = RelayCore(configuration: Fixture.configuration(), random: RelayRandom(seed: seed ^ 0xC0DE), now: now)
        network = SimulatedNetwork(lossRate: scenario.lossRate, jitter: scenario.jitter)
        for index in 0..<scenario.clients {
            let address = TransportAddress(ip: .v4(IPv4Address(81, 7, 0, UInt8(index + 1))), port: 30_000)
            let username = index % 2 == 0 ? Fixture.username : Fixture.otherUsername
            let password = index % 2 == 0 ? Fixture.password : Fixture.otherPassword
            var peers: [Int] = []
            while peers.count < 3 {
                let peer = Int.random(in: 0..<Self.allowedPeerCount, using: &random)
                if !peers.contains(peer) { peers.append(peer) }
            }
            var channels: [Int: ChannelNumber] = [:]
            for (position, peer) in peers.enumerated() where position < 2 {
                channels[peer] = ChannelNumber(rawValue: 0x4000 + UInt16(position))
            }
            let activeUntil = now.monotonic + scenario.activeFor
            var client = SimulatedClient(
                index: index, turn: TestClient(Fixture.udp(address), username: username, password: password), peers: peers,
                channels: channels, refusedPeer: Self.refusedPeers[index % Self.refusedPeers.count],
                activeUntil: activeUntil, releases: index % 3 != 0, nextDataAt: now.monotonic)
            client.turn.integrity = index % 4 == 0 ? .sha1 : .sha256(length: 16)
            clients.append(client)
            if scenario.rebindingRate > 0, Double.random(in: 0..<1, using: &random) < scenario.rebindingRate {
                let offset = UInt64.random(in: 1...scenario.activeFor.nanosecondsClamped, using: &random)
                rebindAt[index] = now.monotonic + .nanoseconds(Int64(offset))
            }
        }
    }

    // MARK: Running

    mutating func run() {
        for index in clients.indices {
            let bytes = clients[index].start(now: now.monotonic)
            toServer(bytes, from: index)
        }
        var steps = 0
        while let next = nextEvent() {
            steps += 1
            if steps > 2_000_000 {
                violations.append("the simulation did not settle")
                return
            }
            advance(to: next)
            while let packet = network.popDue(now: now.monotonic) { deliver(packet) }
            if let deadline = core.nextDeadline, deadline <= now.monotonic {
                core.handleTimeout(now: now)
                process(core.drainActions())
            }
            for index in clients.indices { clientTimers(index) }
        }
    }

    private func nextEvent() -> Instant? {
        var candidates: [Instant] = []
        if let delivery = network.nextDelivery { candidates.append(delivery) }
        if let deadline = core.nextDeadline { candidates.append(deadline) }
        for client in clients where client.phase != .done {
            if let timer = client.nextTimer { candidates.append(timer) }
            if client.phase == .active || client.phase == .draining { candidates.append(client.activeUntil + .seconds(2)) }
        }
        candidates += rebindAt.values
        return candidates.min()
    }

    private mutating func advance(to instant: Instant) {
        guard instant > now.monotonic else { return }
        let delta = instant.since(now.monotonic)
        now.monotonic = instant
        now.unixSeconds = Fixture.start.unixSeconds + (instant.nanoseconds - Fixture.start.monotonic.nanoseconds) / 1_000_000_000
        _ = delta
    }

    // MARK: Clients

    private mutating func toServer(_ bytes: ByteBuffer, from index: Int) {
        network.send(.toServer(bytes, clients[index].fiveTuple), now: now.monotonic, random: &random)
    }

    private mutating func clientTimers(_ index: Int) {
        if let at = rebindAt[index], at <= now.monotonic {
            rebindAt[index] = nil
            // NAT rebinding: a new external port; the old allocation is left to expire.
            var client = clients[index]
            client.turn.fiveTuple.client.port += 1
            client.generation += 1
            client.outstanding = nil
            client.relayed = nil
            if client.phase != .done {
                clients[index] = client
                toServer(clients[index].start(now: now.monotonic), from: index)
            } else {
                clients[index] = client
            }
        }
        if let bytes = clients[index].retransmission(now: now.monotonic) { toServer(bytes, from: index) }
        switch clients[index].phase {
        case .active where now.monotonic >= clients[index].activeUntil:
            clients[index].phase = .draining
        case .active where clients[index].nextDataAt <= now.monotonic:
            sendData(index)
        case .draining where now.monotonic >= clients[index].activeUntil + .seconds(2):
            if clients[index].releases {
                clients[index].phase = .releasing
                if let bytes = clients[index].requestForPhase(now: now.monotonic) { toServer(bytes, from: index) }
            } else {
                clients[index].phase = .done
            }
        default:
            break
        }
    }

    private mutating func sendData(_ index: Int) {
        var client = clients[index]
        client.nextDataAt = now.monotonic + .milliseconds(Int64.random(in: 20...200, using: &random))
        client.sequence += 1
        if Int.random(in: 0..<20, using: &random) == 0 {
            // Never permitted: the core must drop it.
            let bytes = client.turn.indication(.send, [.xorPeerAddress(client.refusedPeer), .data(ByteBuffer(string: "refused"))])
            clients[index] = client
            toServer(bytes, from: index)
            return
        }
        let peer = client.peers[Int.random(in: 0..<client.peers.count, using: &random)]
        let key = Key(client: index, generation: client.generation, sequence: client.sequence)
        let payload = ByteBuffer(string: "d:\(index):\(client.generation):\(client.sequence):\(peer)")
        let bytes: ByteBuffer
        if let channel = client.channels[peer] {
            var buffer = ByteBuffer()
            ChannelData(channel: channel, payload: payload).encode(into: &buffer, padded: false)
            bytes = buffer
        } else {
            bytes = client.turn.indication(.send, [.xorPeerAddress(Self.peerAddress(peer)), .data(payload)])
        }
        sent[key, default: 0] += 1
        clients[index] = client
        toServer(bytes, from: index)
    }

    private mutating func clientReceived(_ bytes: ByteBuffer, at address: TransportAddress) {
        guard let index = clients.firstIndex(where: { $0.fiveTuple.client == address }) else { return }  // NAT: stale mapping
        if ChannelData.looksLikeChannelData(bytes) {
            guard let channelData = try? ChannelData.decode(datagram: bytes),
                  let peer = clients[index].channels.first(where: { $0.value == channelData.channel })?.key else {
                violations.append("client \(index) got ChannelData it cannot place")
                return
            }
            echo(channelData.payload, to: index, from: peer)
            return
        }
        guard let message = try? STUNMessage.decode(bytes).message else {
            violations.append("client \(index) got undecodable bytes")
            return
        }
        if message.type == MessageType(.data, .indication) {
            guard let from = message.xorPeerAddresses.first, let peer = Self.peerIndex(from), let data = message.data else {
                violations.append("client \(index) got a Data indication from an unknown peer")
                return
            }
            echo(data, to: index, from: peer)
            return
        }
        let (next, failure) = clients[index].handleResponse(message, now: now.monotonic)
        if let failure { violations.append(failure) }
        if let next { toServer(next, from: index) }
    }

    private mutating func echo(_ payload: ByteBuffer, to index: Int, from peer: Int) {
        let fields = String(buffer: payload).split(separator: ":")
        guard fields.count == 5, fields[0] == "e", let client = Int(fields[1]), let generation = Int(fields[2]),
              let sequence = Int(fields[3]), let target = Int(fields[4]) else {
            violations.append("client \(index) got a payload that is not an echo")
            return
        }
        guard client == index, target == peer else {
            violations.append("client \(index) got \(String(buffer: payload)) via peer \(peer)")
            return
        }
        echoed[Key(client: client, generation: generation, sequence: sequence), default: 0] += 1
    }

    // MARK: Peers

    private mutating func peerReceived(_ payload: ByteBuffer, from relayed: TransportAddress, at address: TransportAddress) {
        guard let peer = Self.peerIndex(address) else {
            violations.append("datagram reached \(address), which no client may reach")
            return
        }
        let text = String(buffer: payload)
        let fields = text.split(separator: ":")
        guard fields.count == 5, fields[0] == "d", let client = Int(fields[1]), let generation = Int(fields[2]),
              let sequence = Int(fields[3]), let target = Int(fields[4]), target == peer else {
            violations.append("peer \(peer) got \(text)")
            return
        }
        delivered[Key(client: client, generation: generation, sequence: sequence), default: 0] += 1
        let reply = ByteBuffer(string: "e" + text.dropFirst())
        network.send(.toRelay(reply, from: address, to: relayed), now: now.monotonic, random: &random)
    }

    // MARK: Server side (what a shell does)

    private mutating func deliver(_ packet: SimulatedPacket) {
        switch packet {
        case .toServer(let bytes, let fiveTuple):
            let route = core.handleClientDatagram(bytes, from: fiveTuple, now: now)
            carry(route)
            process(core.drainActions())
        case .toRelay(let payload, let peer, let advertised):
            let local = Harness.local(advertised)
            guard openPorts.contains(local) else { return }  // the socket is closed
            let route = core.handlePeerDatagram(payload, from: peer, to: local, now: now)
            carry(route)
            process(core.drainActions())
        case .toClient(let bytes, let address):
            clientReceived(bytes, at: address)
        case .toPeer(let payload, let relayed, let peer):
            peerReceived(payload, from: relayed, at: peer)
        }
    }

    private mutating func carry(_ route: RelayRoute) {
        switch route {
        case .none:
            break
        case .toPeer(let relayed, let peer, let payload, _):
            sendToPeer(payload, from: relayed, to: peer)
        case .toClient(let fiveTuple, let channel, let payload):
            var buffer = ByteBuffer()
            ChannelData(channel: channel, payload: payload).encode(into: &buffer, padded: fiveTuple.transport.isStream)
            network.send(.toClient(buffer, fiveTuple.client), now: now.monotonic, random: &random)
        }
    }

    private mutating func sendToPeer(_ payload: ByteBuffer, from relayed: TransportAddress, to peer: TransportAddress) {
        if case .refused = core.configuration.peerPolicy.check(destination: peer) {
            violations.append("the core sent to refused \(peer)")
            return
        }
        guard openPorts.contains(relayed) else {
            violations.append("the core sent from closed relay port \(relayed)")
            return
        }
        let advertised = TransportAddress(ip: Fixture.relayPublicV4, port: relayed.port)
        network.send(.toPeer(payload, from: advertised, to: peer), now: now.monotonic, random: &random)
    }

    private mutating func process(_ actions: [RelayAction]) {
        for action in actions {
            switch action {
            case .sendToClient(let fiveTuple, let bytes), .relayToClient(let fiveTuple, let bytes):
                network.send(.toClient(bytes, fiveTuple.client), now: now.monotonic, random: &random)
            case .sendToPeer(let relayed, let peer, let payload, _):
                sendToPeer(payload, from: relayed, to: peer)
            case .openRelayPorts(let request):
                if scenario.portFailureRate > 0, Double.random(in: 0..<1, using: &random) < scenario.portFailureRate {
                    core.relayOpenFailed(request.id, now: now)
                } else {
                    for address in request.addresses where !openPorts.insert(address).inserted {
                        violations.append("port \(address) opened twice")
                    }
                    core.relayOpened(request.id, now: now)
                }
                process(core.drainActions())
            case .closeRelayPort(let address):
                if openPorts.remove(address) == nil { violations.append("closed \(address), which was not open") }
            case .installChannelRoute(let route):
                routes.insert(route)
            case .removeChannelRoute(let route):
                if routes.remove(route) == nil { violations.append("removed route \(route.channel), which was not installed") }
            case .event:
                break
            }
        }
    }
}
