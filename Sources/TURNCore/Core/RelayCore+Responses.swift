import NIOCore
import STUNWire

extension RelayCore {
    /// Sends the response a handler decided on, protected like its request, and caches it for
    /// retransmissions (RFC 8489 §6.3.1).
    mutating func finish(
        _ outcome: RequestOutcome, respondingTo message: STUNMessage, _ request: AuthenticatedRequest,
        to fiveTuple: FiveTuple, now: Now
    ) {
        switch outcome {
        case .success(let attributes):
            sendResponse(
                message.type.method, message.transactionID, .successResponse, attributes,
                protection: request.protection, authenticated: true, to: fiveTuple, cache: true, now: now)
        case .failure(let code, let extra):
            sendResponse(
                message.type.method, message.transactionID, .errorResponse, [.errorCode(code)] + extra,
                protection: request.protection, authenticated: true, to: fiveTuple, cache: true, now: now)
        case .answeredSeparately:
            break
        }
    }

    /// Encodes and queues a response; returns its bytes.
    @discardableResult
    mutating func sendResponse(
        _ method: Method, _ transactionID: TransactionID, _ messageClass: MessageClass, _ attributes: [Attribute],
        protection: ResponseProtection, authenticated: Bool, to fiveTuple: FiveTuple, cache: Bool, now: Now
    ) -> ByteBuffer? {
        guard let bytes = encodeResponse(
            method, transactionID, messageClass, attributes, protection: protection, authenticated: authenticated)
        else { return nil }
        if cache {
            let key = ResponseCache.Key(fiveTuple: fiveTuple, transactionID: transactionID)
            responseCache.insert(bytes, for: key, now: now.monotonic)
        }
        deliverResponse(bytes, method: method, errorCode: Self.errorCode(in: attributes), to: fiveTuple)
        return bytes
    }

    /// SOFTWARE goes only into responses to authenticated requests, so an unauthenticated reply
    /// stays as small as it can be.
    func encodeResponse(
        _ method: Method, _ transactionID: TransactionID, _ messageClass: MessageClass, _ attributes: [Attribute],
        protection: ResponseProtection, authenticated: Bool
    ) -> ByteBuffer? {
        var attributes = attributes
        if authenticated, let software = configuration.software {
            attributes.append(.software(software))
        }
        let response = STUNMessage(type: MessageType(method, messageClass), transactionID: transactionID, attributes: attributes)
        // Responses are a few hundred bytes at most, far below the 64 KiB the encoder refuses.
        return try? response.encode(protection.encodingOptions)
    }

    /// The ERROR-CODE of a response's attributes, for its metric event.
    static func errorCode(in attributes: [Attribute]) -> UInt16? {
        var errorCode: UInt16?
        for case .errorCode(let code) in attributes { errorCode = code.code }
        return errorCode
    }

    /// Queues an encoded response and its metric event.
    mutating func deliverResponse(_ bytes: ByteBuffer, method: Method, errorCode: UInt16?, to fiveTuple: FiveTuple) {
        actions.append(.sendToClient(fiveTuple, bytes))
        emit(.requestAnswered(method: method, errorCode: errorCode))
    }

    /// An error reply to a request that did not authenticate: 401, 438, 400 or 420 (RFC 8489
    /// §9.2.4, §6.3.1). Spent from the source's reply budget, then from the amplification
    /// credit; over either nothing is sent. The reason phrase is empty and nothing optional is
    /// added, so the reply is as small as it can be.
    mutating func replyUnauthenticated(
        _ message: STUNMessage, from fiveTuple: FiveTuple, code: ErrorCode, challenge: Bool,
        reason: AuthFailureReason?, now: Now, extra: [Attribute] = []
    ) {
        if let reason { emit(.authenticationFailed(reason)) }
        guard !Self.isSpoofable(fiveTuple) || replyLimiter.allow(fiveTuple.client.ip, now: now.monotonic) else {
            drop(.replyRateLimited)
            return
        }
        var attributes: [Attribute] = [.errorCode(ErrorCode(code: code.code, reason: ""))]
        attributes += extra
        if challenge {
            // RFC 8489 §9.2.4: 401 and 438 carry REALM, a fresh NONCE and, when the nonce cookie
            // advertises it, PASSWORD-ALGORITHMS.
            attributes.append(.realm(configuration.realm))
            attributes.append(.nonce(configuration.nonceIssuer.issue(for: fiveTuple.client, now: now)))
            if offersPasswordAlgorithms {
                attributes.append(.passwordAlgorithms(configuration.passwordAlgorithms))
            }
        }
        let protection = ResponseProtection(integrity: .none, fingerprint: message.contains(.fingerprint))
        sendUnauthenticated(
            message.type.method, message.transactionID, .errorResponse, attributes,
            protection: protection, to: fiveTuple, now: now)
    }

    /// Encodes an unauthenticated reply and sends it if the amplification credit covers its
    /// size (`AmplificationBudget`); otherwise it is dropped. Never cached: a retransmission is
    /// a new request, which earns its own credit.
    mutating func sendUnauthenticated(
        _ method: Method, _ transactionID: TransactionID, _ messageClass: MessageClass, _ attributes: [Attribute],
        protection: ResponseProtection, to fiveTuple: FiveTuple, now: Now
    ) {
        guard let bytes = encodeResponse(
            method, transactionID, messageClass, attributes, protection: protection, authenticated: false)
        else { return }
        guard !Self.isSpoofable(fiveTuple) || amplificationBudget.spend(bytes.readableBytes, now: now.monotonic) else {
            drop(.amplificationLimited)
            return
        }
        deliverResponse(bytes, method: method, errorCode: Self.errorCode(in: attributes), to: fiveTuple)
    }

    /// Reflection needs a forged source address, which only UDP allows: a TCP or TLS client's
    /// address was proven by its handshake, so its replies spend neither reply budget (and a
    /// stream client, which never retransmits, would otherwise wait out RFC 8489 §6.2.2's 39.5 s
    /// for a reply the budget withheld). Streams are bounded by the connection cap instead.
    static func isSpoofable(_ fiveTuple: FiveTuple) -> Bool {
        !fiveTuple.transport.isStream
    }

    var offersPasswordAlgorithms: Bool {
        configuration.nonceIssuer.features.contains(.passwordAlgorithms) && !configuration.passwordAlgorithms.isEmpty
    }
}
