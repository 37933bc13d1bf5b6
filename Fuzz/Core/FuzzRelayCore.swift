import Foundation
import FuzzSupport
import NIOCore
import STUNWire
import TURNCore

/// libFuzzer entry: the input is a program of operations on one `RelayCore` (client datagrams
/// from a few 5-tuples, requests authenticated with valid credentials and nonces built from input
/// bits so the fuzzer reaches deep states, ChannelData, Send indications, stream frames, peer
/// datagrams, relay-port answers, connection closes, time advances). Nothing may trap, state
/// must stay within its limits, and once every lifetime has passed nothing may be left.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRelayCore(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    var driver = CoreDriver(input: UnsafeBufferPointer(start: data, count: size))
    driver.run()
    return 0
}

/// Reads the input as a byte stream; past its end every read is zero.
struct InputCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var offset = 0

    var isAtEnd: Bool { offset >= bytes.count }

    mutating func byte() -> UInt8 {
        guard offset < bytes.count else { return 0 }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uint16() -> UInt16 { UInt16(byte()) << 8 | UInt16(byte()) }

    mutating func buffer(maximum: Int) -> ByteBuffer {
        let count = min(Int(byte()) % (maximum + 1), bytes.count - min(offset, bytes.count))
        let slice = UnsafeBufferPointer(rebasing: bytes[offset..<(offset + count)])
        offset += count
        return ByteBuffer(bytes: slice)
    }
}

struct CoreDriver {
    static let realm = "fuzz.test"
    static let users = [("alice", "alice password"), ("bob", "bob password")]
    static let nonceKey = [UInt8](repeating: 3, count: 32)
    static let relayV4 = IPAddress("10.1.0.5")!
    static let relayV6 = IPAddress("fd01::5")!
    static let server = TransportAddress("10.1.0.1:3478")!
    static let maximumAllocations = 8
    static let permissionsPerAllocation = 4
    static let peers = [
        TransportAddress("93.184.216.34:5000")!, TransportAddress("93.184.216.35:5001")!,
        TransportAddress("[2a02:2e0::34]:7000")!, TransportAddress("127.0.0.1:80")!,
        TransportAddress("10.1.0.5:50001")!, TransportAddress("169.254.169.254:80")!,
    ]
    static let clients: [FiveTuple] = [
        FiveTuple(client: TransportAddress("81.2.3.4:40000")!, server: server, transport: .udp),
        FiveTuple(client: TransportAddress("81.2.3.5:40001")!, server: server, transport: .udp),
        FiveTuple(client: TransportAddress("[2a01:4f8::10]:40002")!, server: server, transport: .udp),
        FiveTuple(client: TransportAddress("81.2.3.6:40003")!, server: server, transport: .tcp),
    ]

    var cursor: InputCursor
    var core: RelayCore
    var now = Now(monotonic: .seconds(10_000), unixSeconds: 1_800_000_000)
    var openPorts: [TransportAddress] = []
    var failPortOpens = false
    var transaction: UInt64 = 0

    init(input: UnsafeBufferPointer<UInt8>) {
        cursor = InputCursor(bytes: input)
        let credentials = try! CredentialStore(
            realm: Self.realm, users: Dictionary(uniqueKeysWithValues: Self.users.map { ($0.0, UserSecret.password($0.1)) }),
            sharedSecrets: [Array("secret".utf8)])
        var configuration = RelayConfiguration(
            relayAddresses: [.ipv4: RelayAddress(local: Self.relayV4), .ipv6: RelayAddress(local: Self.relayV6)],
            portRange: 50_000...50_015, credentials: credentials, nonceIssuer: NonceIssuer(key: Self.nonceKey),
            peerPolicy: PeerPolicy(ownRelayAddresses: [Self.relayV4, Self.relayV6], relayPorts: 50_000...50_015, serverEndpoints: [Self.server]))
        configuration.maximumAllocations = Self.maximumAllocations
        configuration.permissionsPerAllocation = Self.permissionsPerAllocation
        configuration.retransmissionCacheCapacity = 64
        configuration.bandwidthPerAllocation = BandwidthLimit(bytesPerSecond: 10_000, burstBytes: 20_000)
        configuration.bandwidthPerUser = BandwidthLimit(bytesPerSecond: 15_000, burstBytes: 30_000)
        configuration.software = "fuzz"
        core = RelayCore(configuration: configuration, random: RelayRandom(seed: 1), now: now)
    }

    mutating func run() {
        var operations = 0
        while !cursor.isAtEnd, operations < 4_096 {
            operations += 1
            step(cursor.byte())
            settle()
            precondition(core.allocationCount <= Self.maximumAllocations, "allocation limit exceeded")
        }
        // Every lifetime (allocation 3600 s at most, channel cool-down, reservation, cache) passes.
        now.monotonic = now.monotonic + .seconds(7_200)
        now.unixSeconds += 7_200
        core.handleTimeout(now: now)
        settle()
        precondition(core.allocationCount == 0, "allocations outlived their lifetime")
        precondition(core.nextDeadline == nil, "timers left after every lifetime passed")
        precondition(openPorts.isEmpty, "relay ports left open: \(openPorts)")
    }

    mutating func step(_ operation: UInt8) {
        let tuple = Self.clients[Int(cursor.byte()) % Self.clients.count]
        switch operation % 10 {
        case 0:
            deliver(cursor.buffer(maximum: 200), from: tuple)
        case 1, 2:
            deliver(authenticatedRequest(for: tuple), from: tuple)
        case 3:
            var bytes = ByteBuffer()
            let channel = ChannelNumber(rawValue: 0x4000 + UInt16(cursor.byte() % 4))
            ChannelData(channel: channel, payload: cursor.buffer(maximum: 64)).encode(into: &bytes, padded: tuple.transport.isStream)
            deliver(bytes, from: tuple)
        case 4:
            let peer = Self.peers[Int(cursor.byte()) % Self.peers.count]
            let relayed = openPorts.isEmpty || cursor.byte() & 1 == 0
                ? TransportAddress(ip: Self.relayV4, port: 50_000 + UInt16(cursor.byte() % 16))
                : openPorts[Int(cursor.byte()) % openPorts.count]
            _ = core.handlePeerDatagram(cursor.buffer(maximum: 64), from: peer, to: relayed, now: now)
        case 5:
            let peer = Self.peers[Int(cursor.byte()) % Self.peers.count]
            var attributes: [Attribute] = [.xorPeerAddress(peer), .data(cursor.buffer(maximum: 64))]
            if cursor.byte() & 1 == 1 { attributes.append(.dontFragment) }
            let message = STUNMessage(type: MessageType(.send, .indication), transactionID: nextTransactionID(), attributes: attributes)
            if let bytes = try? message.encode() { deliver(bytes, from: tuple) }
        case 6:
            let seconds = Int64(cursor.byte())
            now.monotonic = now.monotonic + .seconds(seconds * Int64(1 + cursor.byte() % 8))
            now.unixSeconds = 1_800_000_000 + (now.monotonic.nanoseconds - 10_000_000_000_000) / 1_000_000_000
            core.handleTimeout(now: now)
        case 7:
            failPortOpens.toggle()
        case 8:
            if tuple.transport.isStream { core.clientConnectionClosed(tuple, now: now) }
        default:
            core.draining = cursor.byte() % 8 == 0
        }
    }

    mutating func deliver(_ bytes: ByteBuffer, from tuple: FiveTuple) {
        if tuple.transport.isStream {
            var stream = bytes
            while let frame = try? StreamDeframer().nextFrame(&stream) {
                _ = core.handleClientFrame(frame, from: tuple, now: now)
            }
        } else {
            _ = core.handleClientDatagram(bytes, from: tuple, now: now)
        }
    }

    mutating func nextTransactionID() -> TransactionID {
        transaction += 1
        return TransactionID(high: transaction, low: UInt32(truncatingIfNeeded: transaction))
    }

    /// A request with a valid nonce and key, its method and attributes chosen by input bits.
    mutating func authenticatedRequest(for tuple: FiveTuple) -> ByteBuffer {
        let selector = cursor.byte()
        let flags = cursor.byte()
        let methods: [Method] = [.allocate, .refresh, .createPermission, .channelBind, .binding]
        let method = methods[Int(selector) % methods.count]
        var attributes: [Attribute] = []
        switch method {
        case .allocate:
            attributes.append(.requestedTransport(flags & 0x80 == 0 ? 17 : 6))
            if flags & 0x01 != 0 { attributes.append(.requestedAddressFamily(flags & 0x02 != 0 ? .ipv6 : .ipv4)) }
            if flags & 0x04 != 0 { attributes.append(.additionalAddressFamily(.ipv6)) }
            if flags & 0x08 != 0 { attributes.append(.evenPort(reserveNext: flags & 0x10 != 0)) }
            if flags & 0x20 != 0 { attributes.append(.reservationToken(UInt64(cursor.byte()))) }
            if flags & 0x40 != 0 { attributes.append(.dontFragment) }
        case .refresh:
            if flags & 0x01 != 0 { attributes.append(.lifetime(flags & 0x02 != 0 ? 0 : UInt32(cursor.uint16()))) }
            if flags & 0x04 != 0 { attributes.append(.requestedAddressFamily(flags & 0x08 != 0 ? .ipv6 : .ipv4)) }
        case .createPermission:
            for bit in 0..<Self.peers.count where flags & (1 << bit) != 0 {
                attributes.append(.xorPeerAddress(Self.peers[bit]))
            }
        case .channelBind:
            attributes.append(.channelNumber(ChannelNumber(rawValue: flags & 0x80 != 0 ? cursor.uint16() : 0x4000 + UInt16(flags % 4))))
            attributes.append(.xorPeerAddress(Self.peers[Int(cursor.byte()) % Self.peers.count]))
        default:
            break
        }
        if flags & 0x80 != 0, method != .channelBind {
            attributes.append(.unknown(AttributeType(rawValue: UInt16(cursor.byte())), ByteBuffer()))
        }
        let (username, password) = Self.users[Int(selector >> 4) % Self.users.count]
        let sha256 = selector & 0x08 != 0
        let algorithm: PasswordAlgorithm = sha256 ? .sha256 : .md5
        attributes += [
            .username(username), .realm(Self.realm),
            .nonce(core.configuration.nonceIssuer.issue(for: tuple.client, now: now)),
            .passwordAlgorithms([.sha256, .md5]), .passwordAlgorithm(algorithm),
        ]
        let key = (try? LongTermCredentials.key(username: username, realm: Self.realm, password: password, algorithm: algorithm)) ?? []
        let options = selector & 0x04 != 0
            ? EncodingOptions(messageIntegrityKey: key, fingerprint: selector & 0x02 != 0)
            : EncodingOptions(messageIntegritySHA256Key: key, messageIntegritySHA256Length: 16 + 4 * Int(selector & 0x03),
                              fingerprint: selector & 0x02 != 0)
        let message = STUNMessage(type: MessageType(method, .request), transactionID: nextTransactionID(), attributes: attributes)
        return (try? message.encode(options)) ?? ByteBuffer()
    }

    /// Does what a shell does with the actions: answers port requests, tracks open ports.
    mutating func settle() {
        var actions = core.drainActions()
        var rounds = 0
        while !actions.isEmpty {
            rounds += 1
            precondition(rounds < 64, "actions keep producing actions")
            var more: [RelayAction] = []
            for action in actions {
                switch action {
                case .openRelayPorts(let request):
                    if failPortOpens {
                        core.relayOpenFailed(request.id, now: now)
                    } else {
                        openPorts += request.addresses
                        core.relayOpened(request.id, now: now)
                    }
                    more += core.drainActions()
                case .closeRelayPort(let address):
                    guard let index = openPorts.firstIndex(of: address) else {
                        preconditionFailure("closed \(address), which was not open")
                    }
                    openPorts.remove(at: index)
                case .sendToPeer(_, let peer, _, _):
                    if case .refused = core.configuration.peerPolicy.check(destination: peer) {
                        preconditionFailure("sent to refused \(peer)")
                    }
                case .sendToClient, .relayToClient, .installChannelRoute, .removeChannelRoute, .event:
                    break
                }
            }
            actions = more
        }
    }
}

// The entry point (see `FuzzMain`): libFuzzer's driver when built with `-sanitize=fuzzer`,
// otherwise a replay of the files named on the command line.
exit(FuzzMain.run(argc: CommandLine.argc, argv: CommandLine.unsafeArgv) { data, size in fuzzRelayCore(data, size) })
