import NIOCore
import STUNWire

extension RelayCore {
    /// RFC 8656 §18.7: REQUESTED-TRANSPORT carries an IANA protocol number; 17 is UDP.
    static let udpProtocolNumber: UInt8 = 17

    /// RFC 8656 §7.2, after authentication (§7.2 step 1) and the 420 check.
    mutating func handleAllocate(
        _ message: STUNMessage, _ request: AuthenticatedRequest, from fiveTuple: FiveTuple, now: Now
    ) -> RequestOutcome {
        // §7.2 step 2: one allocation per 5-tuple (a retransmission was answered before auth).
        if allocationByTuple[fiveTuple] != nil || pendingByTuple[fiveTuple] != nil {
            return .failure(.allocationMismatch)
        }
        // Graceful drain (DESIGN.md): redirect when an alternate is configured (RFC 8489 §10),
        // otherwise refuse as an administrative restriction.
        if configuration.draining {
            if let alternate = configuration.alternateServer {
                return .failure(.tryAlternate, [.alternateServer(alternate)])
            }
            return .failure(.forbidden)
        }
        // §7.2 step 3: REQUESTED-TRANSPORT is required and must be UDP.
        guard let transport = message.requestedTransport else { return .failure(.badRequest) }
        guard transport == Self.udpProtocolNumber else { return .failure(.unsupportedTransportProtocol) }

        let token = message.reservationToken
        let requestedFamily = message.requestedAddressFamily
        let additionalFamily = message.additionalAddressFamily
        let evenPort = message.evenPort
        // §7.2: RESERVATION-TOKEN excludes EVEN-PORT and both address-family attributes.
        if token != nil, evenPort != nil || requestedFamily != nil || additionalFamily != nil {
            return .failure(.badRequest)
        }
        // §7.2: REQUESTED-ADDRESS-FAMILY and ADDITIONAL-ADDRESS-FAMILY exclude each other;
        // ADDITIONAL-ADDRESS-FAMILY may only ask for IPv6; it cannot be combined with R.
        if requestedFamily != nil, additionalFamily != nil { return .failure(.badRequest) }
        if additionalFamily == .ipv4 { return .failure(.badRequest) }
        if additionalFamily != nil, evenPort == true { return .failure(.badRequest) }

        var allocate = PendingAllocation(
            fiveTuple: fiveTuple, transactionID: message.transactionID, protection: request.protection,
            username: request.username, user: request.user, origin: request.origin,
            credentialExpiry: request.credentialExpiry, requestedLifetime: message.lifetime, families: [],
            addressError: nil, evenPort: evenPort != nil, reserveNext: evenPort == true,
            dontFragment: message.contains(.dontFragment), attempts: 0, requested: [])

        if let token {
            return allocateReserved(token, allocate, now: now)
        }
        // §7.2: the allocation quota (486) and the server's capacity (508). Pending Allocates
        // and reserved ports count: with EVEN-PORT's R bit the Allocate takes two units, one
        // for the allocation and one for the port it reserves.
        if let refused = quotaRefusal(request.user, units: allocate.quotaUnits) { return .failure(refused) }

        // §7.2: the family asked for (IPv4 when absent) must be supported, else 440.
        let primary = requestedFamily ?? .ipv4
        guard configuration.relayAddresses[primary] != nil else { return .failure(.addressFamilyNotSupported) }
        allocate.families = [primary]
        // §7.2: an unsupported ADDITIONAL-ADDRESS-FAMILY still allocates the IPv4 address and
        // reports the failure in ADDRESS-ERROR-CODE.
        if let additionalFamily {
            if configuration.relayAddresses[additionalFamily] != nil {
                allocate.families.append(additionalFamily)
            } else {
                allocate.addressError = (additionalFamily, .addressFamilyNotSupported)
            }
        }
        // §7.2: no port with the requested properties → 508.
        guard let relays = reserveRelayPorts(for: allocate) else { return .failure(.insufficientCapacity) }
        // The quota shared with other cores is taken last, so nothing else can fail after it.
        if let refused = acquireQuota(request.user, units: allocate.quotaUnits) {
            for relay in relays { portsInUse.remove(relay.key) }
            return .failure(refused)
        }
        allocate.requested = relays
        requestRelayPorts(allocate)
        return .answeredSeparately
    }

    /// §7.2: a valid RESERVATION-TOKEN names a port already held; otherwise 508. The port's quota
    /// unit becomes the allocation's when its reserver uses it; anyone else holding the token
    /// takes a unit of its own first (486 or 508, the reservation kept), then the reserver's is
    /// given back.
    private mutating func allocateReserved(_ token: UInt64, _ allocate: PendingAllocation, now: Now) -> RequestOutcome {
        guard let reservation = reservations[token], now.monotonic < reservation.expiry else {
            return .failure(.insufficientCapacity)
        }
        if reservation.user != allocate.user {
            if let refused = acquireQuota(allocate.user, units: 1) { return .failure(refused) }
            releaseQuota(reservation.user)
        }
        reservations[token] = nil
        var allocate = allocate
        allocate.families = [reservation.relayed.family]
        allocate.reserveNext = false
        completeAllocation(allocate, relays: [reservation.relayed], reservationToken: nil, now: now)
        return .answeredSeparately
    }

    /// Asks the shell to bind `allocate.requested` and parks the Allocate until it answers.
    private mutating func requestRelayPorts(_ allocate: PendingAllocation) {
        let id = RelayPortRequestID(rawValue: nextRequestNumber)
        nextRequestNumber += 1
        pending[id] = allocate
        pendingByTuple[allocate.fiveTuple] = id
        actions.append(.openRelayPorts(RelayPortRequest(
            id: id, addresses: allocate.requested.map(\.local), dontFragment: allocate.dontFragment)))
    }

    /// The shell bound every port of `request`: the Allocate succeeds (RFC 8656 §7.2).
    public mutating func relayOpened(_ request: RelayPortRequestID, now: Now) {
        guard let allocate = pending.removeValue(forKey: request) else { return }
        if allocate.abandoned {
            for relay in allocate.requested {
                portsInUse.remove(relay.key)
                actions.append(.closeRelayPort(relay.local))
            }
            releaseQuota(allocate.user, units: allocate.quotaUnits)
            return
        }
        pendingByTuple[allocate.fiveTuple] = nil
        var relays = allocate.requested
        var token: UInt64?
        if allocate.reserveNext, let reserved = relays.popLast() {
            // RFC 8656 §7.2: the next port is held for a later Allocate with this token, on
            // the second quota unit the Allocate took.
            let newToken = random.next()
            let expiry = now.monotonic + configuration.reservationLifetime
            reservations[newToken] = Reservation(relayed: reserved, expiry: expiry, user: allocate.user)
            timers.schedule(.reservation(newToken), at: expiry)
            token = newToken
        }
        completeAllocation(allocate, relays: relays, reservationToken: token, now: now)
    }

    /// The shell could not bind a port of `request`: try other ports a bounded number of times,
    /// then answer 508 (RFC 8656 §7.2).
    public mutating func relayOpenFailed(_ request: RelayPortRequestID, now: Now) {
        guard var allocate = pending.removeValue(forKey: request) else { return }
        for relay in allocate.requested { portsInUse.remove(relay.key) }
        if allocate.abandoned {
            releaseQuota(allocate.user, units: allocate.quotaUnits)
            return
        }
        pendingByTuple[allocate.fiveTuple] = nil
        allocate.attempts += 1
        if allocate.attempts < configuration.maximumPortAttempts, let relays = reserveRelayPorts(for: allocate) {
            allocate.requested = relays
            requestRelayPorts(allocate)
            return
        }
        releaseQuota(allocate.user, units: allocate.quotaUnits)
        sendResponse(
            .allocate, allocate.transactionID, .errorResponse, [.errorCode(.insufficientCapacity)],
            protection: allocate.protection, authenticated: true, to: allocate.fiveTuple, cache: true, now: now)
    }

    /// Creates the allocation and sends its success response (RFC 8656 §7.2): XOR-RELAYED-ADDRESS
    /// per family (the advertised addresses), ADDRESS-ERROR-CODE, LIFETIME, RESERVATION-TOKEN,
    /// XOR-MAPPED-ADDRESS.
    mutating func completeAllocation(
        _ allocate: PendingAllocation, relays: [RelayedTransportAddress], reservationToken: UInt64?, now: Now
    ) {
        let lifetime = grantedLifetime(requested: allocate.requestedLifetime, credentialExpiry: allocate.credentialExpiry, now: now)
        var attributes: [Attribute] = relays.map { .xorRelayedAddress($0.advertised) }
        if let (family, code) = allocate.addressError {
            attributes.append(.addressErrorCode(family, code))
        }
        attributes.append(.lifetime(lifetime))
        if let reservationToken { attributes.append(.reservationToken(reservationToken)) }
        attributes.append(.xorMappedAddress(allocate.fiveTuple.client))
        guard let response = encodeResponse(
            .allocate, allocate.transactionID, .successResponse, attributes,
            protection: allocate.protection, authenticated: true)
        else {
            // Responses are far below the encoder's limit; should one fail, nothing is held.
            for relay in relays {
                portsInUse.remove(relay.key)
                actions.append(.closeRelayPort(relay.local))
            }
            releaseQuota(allocate.user)
            return
        }

        let id = AllocationID(rawValue: nextAllocationNumber)
        nextAllocationNumber += 1
        let expiry = now.monotonic + .seconds(Int64(lifetime))
        let allocation = Allocation(
            id: id, fiveTuple: allocate.fiveTuple, username: allocate.username, user: allocate.user,
            origin: allocate.origin, credentialExpiry: allocate.credentialExpiry,
            relays: relays.map { Allocation.Relay(address: $0, expiry: expiry) }, timerDeadline: expiry,
            dontFragment: allocate.dontFragment,
            allocateTransactionID: allocate.transactionID, allocateResponse: response,
            created: now.monotonic)
        allocations[id] = allocation
        allocationTraffic[id] = TrafficMeter(now: now.monotonic)
        allocationByTuple[allocate.fiveTuple] = id
        for relay in relays { allocationByRelay[relay.key] = id }
        timers.schedule(.allocation(id), at: expiry)
        if let budget = bandwidthBudget(for: allocate.user, now: now.monotonic) {
            allocationBandwidth[id] = budget
        }
        emit(.allocationCreated(id, fiveTuple: allocate.fiveTuple, user: allocate.user, relayed: relays.map(\.advertised)))
        deliverResponse(response, method: .allocate, errorCode: nil, to: allocate.fiveTuple)
    }

    /// RFC 8656 §7.2 and §8: the requested lifetime capped at the maximum, and never below the
    /// default; then capped by a shared-secret credential's expiry (DESIGN.md).
    func grantedLifetime(requested: UInt32?, credentialExpiry: UInt64?, now: Now) -> UInt32 {
        let defaultSeconds = configuration.defaultLifetime.nanosecondsClamped / Self.nanosecondsPerSecond
        let maximumSeconds = configuration.maximumLifetime.nanosecondsClamped / Self.nanosecondsPerSecond
        var seconds = requested.map { min(UInt64($0), maximumSeconds) } ?? defaultSeconds
        seconds = max(seconds, min(defaultSeconds, maximumSeconds))
        if let credentialExpiry {
            seconds = min(seconds, credentialExpiry > now.unixSeconds ? credentialExpiry - now.unixSeconds : 0)
        }
        return UInt32(clamping: seconds)
    }

    static let nanosecondsPerSecond: UInt64 = 1_000_000_000
}
