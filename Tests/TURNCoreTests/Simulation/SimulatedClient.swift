import NIOCore
import STUNWire
@testable import TURNCore

/// A TURN client for the simulation: allocates, permits and binds its peers, sends tagged data
/// through channels and Send indications, retransmits requests on loss (RFC 8489 §6.2.1, with a
/// fixed timeout), follows 401/438 challenges, and releases or abandons its allocation.
struct SimulatedClient {
    enum Phase: Equatable {
        case allocating
        case permitting
        case binding(Int)
        case probingRefused
        case active
        case draining
        case releasing
        case done
    }

    struct Outstanding {
        var bytes: ByteBuffer
        var transactionID: TransactionID
        var method: Method
        var resendAt: Instant
        var attempts: Int
    }

    static let retransmitAfter: Duration = .milliseconds(500)
    static let maximumAttempts = 12

    let index: Int
    var turn: TestClient
    var phase: Phase = .allocating
    var outstanding: Outstanding?
    var relayed: TransportAddress?
    /// Indices into the world's allowed peers, and the channel bound to each (nil: Send indications).
    var peers: [Int]
    var channels: [Int: ChannelNumber] = [:]
    var refusedPeer: TransportAddress
    var activeUntil: Instant
    var releases: Bool
    var nextDataAt: Instant
    var sequence = 0
    /// Whether the current allocation is still the one data is counted on (false after rebinding).
    var generation = 0

    var fiveTuple: FiveTuple { turn.fiveTuple }

    mutating func start(now: Instant) -> ByteBuffer {
        phase = .allocating
        return request(.allocate, [.requestedTransport(17)], now: now)
    }

    mutating func request(_ method: Method, _ attributes: [Attribute], now: Instant) -> ByteBuffer {
        let id = turn.newTransactionID()
        let bytes = turn.nonce == nil ? turn.plainRequest(method, attributes, id: id) : turn.request(method, attributes, id: id)
        outstanding = Outstanding(bytes: bytes, transactionID: id, method: method, resendAt: now + Self.retransmitAfter, attempts: 1)
        lastAttributes = attributes
        return bytes
    }

    var lastAttributes: [Attribute] = []

    /// The next request of the current phase, if it sends one.
    mutating func requestForPhase(now: Instant) -> ByteBuffer? {
        switch phase {
        case .allocating:
            return request(.allocate, [.requestedTransport(17)], now: now)
        case .permitting:
            let addresses = peers.filter { channels[$0] == nil }.map { Attribute.xorPeerAddress(World.peerAddress($0)) }
            if addresses.isEmpty {
                phase = .binding(0)
                return requestForPhase(now: now)
            }
            return request(.createPermission, addresses, now: now)
        case .binding(let position):
            let bound = peers.filter { channels[$0] != nil }
            guard position < bound.count else {
                phase = .probingRefused
                return requestForPhase(now: now)
            }
            let peer = bound[position]
            return request(.channelBind, [.channelNumber(channels[peer]!), .xorPeerAddress(World.peerAddress(peer))], now: now)
        case .probingRefused:
            return request(.createPermission, [.xorPeerAddress(refusedPeer)], now: now)
        case .releasing:
            return request(.refresh, [.lifetime(0)], now: now)
        case .active, .draining, .done:
            return nil
        }
    }

    /// Handles a response to the outstanding request; returns the next request, if any.
    mutating func handleResponse(_ message: STUNMessage, now: Instant) -> (next: ByteBuffer?, failure: String?) {
        guard let current = outstanding, message.transactionID == current.transactionID else { return (nil, nil) }
        outstanding = nil
        if let code = message.errorCode?.code {
            switch code {
            case 401, 438:
                guard let nonce = message.nonce else { return (nil, "challenge without NONCE") }
                turn.nonce = nonce
                return (request(current.method, lastAttributes, now: now), nil)
            case 403 where phase == .probingRefused:
                phase = .active
                return (nil, nil)
            case 437 where phase == .releasing:
                // The Refresh's first response was lost and the retransmission came after the
                // cache window; the allocation is gone either way.
                phase = .done
                return (nil, nil)
            default:
                return (nil, "client \(index) got \(code) for \(current.method) in \(phase)")
            }
        }
        switch phase {
        case .allocating:
            relayed = message.xorRelayedAddresses.first
            phase = .permitting
        case .permitting:
            phase = .binding(0)
        case .binding(let position):
            phase = .binding(position + 1)
        case .probingRefused:
            return (nil, "refused peer \(refusedPeer) was permitted")
        case .releasing:
            phase = .done
        case .active, .draining, .done:
            break
        }
        return (requestForPhase(now: now), nil)
    }

    /// Retransmission (RFC 8489 §6.2.1: same transaction ID); gives up after `maximumAttempts`.
    mutating func retransmission(now: Instant) -> ByteBuffer? {
        guard var current = outstanding, current.resendAt <= now else { return nil }
        guard current.attempts < Self.maximumAttempts else {
            outstanding = nil
            phase = .done
            return nil
        }
        current.attempts += 1
        current.resendAt = now + Self.retransmitAfter
        outstanding = current
        return current.bytes
    }

    var nextTimer: Instant? {
        switch phase {
        case .active: min(nextDataAt, outstanding?.resendAt ?? nextDataAt)
        default: outstanding?.resendAt
        }
    }
}
