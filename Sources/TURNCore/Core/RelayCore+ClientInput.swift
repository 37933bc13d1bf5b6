import NIOCore
import STUNWire

extension RelayCore {
    /// A UDP datagram from a client. RFC 8656 §12 and RFC 7983: the first two bits tell STUN
    /// (00) from ChannelData (01); anything else is dropped.
    @discardableResult
    public mutating func handleClientDatagram(_ bytes: ByteBuffer, from fiveTuple: FiveTuple, now: Now) -> RelayRoute {
        guard let first = bytes.getInteger(at: bytes.readerIndex, as: UInt8.self) else {
            drop(.unrecognizedDatagram)
            return .none
        }
        switch first & Self.demultiplexMask {
        case Self.stunPrefix:
            handleSTUN(bytes, from: fiveTuple, now: now)
            return .none
        case Self.channelDataPrefix:
            // RFC 8656 §12.4: padding is optional over UDP; the codec accepts up to 3 bytes of it.
            let channelData: ChannelData
            do {
                channelData = try ChannelData.decode(datagram: bytes)
            } catch {
                drop(.malformedChannelData)
                return .none
            }
            return handleChannelData(channelData.channel, payload: channelData.payload, from: fiveTuple, now: now)
        default:
            drop(.unrecognizedDatagram)
            return .none
        }
    }

    /// A frame from a TCP or TLS client, split by `StreamDeframer` (RFC 8656 §3.1, §12.5).
    @discardableResult
    public mutating func handleClientFrame(_ frame: StreamFrame, from fiveTuple: FiveTuple, now: Now) -> RelayRoute {
        switch frame {
        case .stun(let bytes):
            handleSTUN(bytes, from: fiveTuple, now: now)
            return .none
        case .channelData(let channelData):
            return handleChannelData(channelData.channel, payload: channelData.payload, from: fiveTuple, now: now)
        }
    }

    static let demultiplexMask: UInt8 = 0xC0
    static let stunPrefix: UInt8 = 0x00
    static let channelDataPrefix: UInt8 = 0x40

    mutating func handleSTUN(_ bytes: ByteBuffer, from fiveTuple: FiveTuple, now: Now) {
        let decoded: DecodedMessage
        do {
            decoded = try STUNMessage.decode(bytes)
        } catch {
            // RFC 8489 §6.3: a message that fails the basic checks is discarded silently.
            drop(.malformedSTUN)
            return
        }
        switch decoded.message.type.messageClass {
        case .request:
            handleRequest(decoded, size: bytes.readableBytes, from: fiveTuple, now: now)
        case .indication:
            if decoded.message.type.method == .send {
                handleSendIndication(decoded.message, from: fiveTuple, now: now)
            } else {
                drop(.unexpectedIndication)
            }
        case .successResponse, .errorResponse:
            // RFC 8489 §6.3.3: a response matching no transaction of ours is discarded.
            drop(.unexpectedResponse)
        }
    }

    /// Methods that need long-term credentials (RFC 8656 §5).
    static func isAuthenticatedMethod(_ method: Method) -> Bool {
        method == .allocate || method == .refresh || method == .createPermission || method == .channelBind
    }

    /// A request of `size` bytes on the wire.
    mutating func handleRequest(_ decoded: DecodedMessage, size: Int, from fiveTuple: FiveTuple, now: Now) {
        let message = decoded.message
        let method = message.type.method
        // A request earns half its size before it is answered and the other half once it has
        // authenticated (below): a flood of requests that never authenticate is answered with at
        // most half its bytes (plus the burst and the refill), while a legitimate client's
        // authenticated Allocate, larger than the 401 it answers, pays for that 401 in full.
        amplificationBudget.earn(size / 2, now: now.monotonic)
        if method == .binding {
            answerBinding(message, from: fiveTuple, now: now)
            return
        }
        // RFC 8489 §6.3.1 and RFC 8656 §7.2: a retransmission gets the response already sent,
        // without a second side effect. Looked up before authentication so that it is the
        // identical response even if the nonce went stale meanwhile.
        responseCache.expire(now: now.monotonic)
        let key = ResponseCache.Key(fiveTuple: fiveTuple, transactionID: message.transactionID)
        if let cached = responseCache.response(for: key) {
            actions.append(.sendToClient(fiveTuple, cached))
            return
        }
        if method == .allocate {
            if let id = allocationByTuple[fiveTuple], let allocation = allocations[id],
               allocation.allocateTransactionID == message.transactionID {
                actions.append(.sendToClient(fiveTuple, allocation.allocateResponse))
                return
            }
            if let requestID = pendingByTuple[fiveTuple], pending[requestID]?.transactionID == message.transactionID {
                drop(.allocatePending)
                return
            }
        }
        guard Self.isAuthenticatedMethod(method) else {
            // RFC 8489 §6.3.1: a request this server does not implement.
            replyUnauthenticated(message, from: fiveTuple, code: .badRequest, challenge: false, reason: nil, now: now)
            return
        }
        guard let request = authenticate(decoded, from: fiveTuple, now: now) else { return }
        amplificationBudget.earn(size - size / 2, now: now.monotonic)
        let outcome = process(message, request, from: fiveTuple, now: now)
        finish(outcome, respondingTo: message, request, to: fiveTuple, now: now)
    }

    private mutating func process(
        _ message: STUNMessage, _ request: AuthenticatedRequest, from fiveTuple: FiveTuple, now: Now
    ) -> RequestOutcome {
        // RFC 8489 §6.3.1: after authentication, unknown comprehension-required attributes get 420.
        let unknown = message.unknownComprehensionRequired
        if !unknown.isEmpty {
            return .failure(.unknownAttribute, [.unknownAttributes(unknown)])
        }
        // RFC 8656 §5: requests on an allocation's 5-tuple must use the allocation's username.
        if let owner = usernameOwning(fiveTuple), owner != request.username {
            emit(.authenticationFailed(.wrongCredentials))
            return .failure(.wrongCredentials)
        }
        switch message.type.method {
        case .allocate: return handleAllocate(message, request, from: fiveTuple, now: now)
        case .refresh: return handleRefresh(message, request, from: fiveTuple, now: now)
        case .createPermission: return handleCreatePermission(message, from: fiveTuple, now: now)
        case .channelBind: return handleChannelBind(message, from: fiveTuple, now: now)
        default: return .failure(.badRequest)
        }
    }

    func usernameOwning(_ fiveTuple: FiveTuple) -> String? {
        if let id = allocationByTuple[fiveTuple] { return allocations[id]?.username }
        if let requestID = pendingByTuple[fiveTuple] { return pending[requestID]?.username }
        return nil
    }

    /// RFC 8489 §6.3.1: Binding needs no credentials; the response reflects the source address.
    /// A spoofed source makes it a reflector (RFC 8489 §16.2.1), so the response is an
    /// unauthenticated reply like a 401: per-source budget first, then the amplification credit.
    private mutating func answerBinding(_ message: STUNMessage, from fiveTuple: FiveTuple, now: Now) {
        let unknown = message.unknownComprehensionRequired
        guard unknown.isEmpty else {
            replyUnauthenticated(
                message, from: fiveTuple, code: .unknownAttribute, challenge: false, reason: nil, now: now,
                extra: [.unknownAttributes(unknown)])
            return
        }
        guard !Self.isSpoofable(fiveTuple) || replyLimiter.allow(fiveTuple.client.ip, now: now.monotonic) else {
            drop(.replyRateLimited)
            return
        }
        let protection = ResponseProtection(integrity: .none, fingerprint: message.contains(.fingerprint))
        sendUnauthenticated(
            message.type.method, message.transactionID, .successResponse, [.xorMappedAddress(fiveTuple.client)],
            protection: protection, to: fiveTuple, now: now)
    }
}
