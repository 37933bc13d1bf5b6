import STUNWire

/// Everything the core needs to know about its server. Defaults are the RFC values and the safe
/// limits of DESIGN.md ("Abuse resistance"); operators loosen them.
public struct RelayConfiguration: Sendable {
    /// Relay address per family; a family without one is "not supported" (RFC 8656 §7.2: 440).
    public var relayAddresses: [AddressFamily: RelayAddress]
    /// Ports the core picks relay ports from (RFC 8656 §7.2 suggests 49152-65535).
    public var portRange: ClosedRange<UInt16>

    /// RFC 8656 §7.2: the default allocation lifetime, 10 minutes.
    public var defaultLifetime: Duration = .seconds(600)
    /// RFC 8656 §7.2: lifetimes above this are cut to it (an hour by default).
    public var maximumLifetime: Duration = .seconds(3600)
    /// RFC 8656 §9: a permission lasts 300 s.
    public var permissionLifetime: Duration = .seconds(300)
    /// RFC 8656 §12: a channel binding lasts 600 s.
    public var channelLifetime: Duration = .seconds(600)
    /// RFC 8656 §12: a number or peer of an expired binding is not re-paired for 300 s.
    public var channelCooldown: Duration = .seconds(300)
    /// RFC 8656 §7.2: a port held by RESERVATION-TOKEN is kept about 30 s.
    public var reservationLifetime: Duration = .seconds(30)
    /// RFC 8489 §6.3.1 / RFC 8656 §7.2: the window in which a retransmitted request gets the cached
    /// response (40 s covers the Rc/Rm retransmission schedule of RFC 8489 §6.2.1).
    public var retransmissionWindow: Duration = .seconds(40)
    /// Cached responses kept at most (oldest evicted first).
    public var retransmissionCacheCapacity = 16_384

    /// RFC 8656 §7.2: 486 beyond this many allocations per user in this core. Reserved ports
    /// (EVEN-PORT with R) and pending Allocates count as allocations.
    public var allocationsPerUser = 16
    /// 508 beyond this many allocations (reserved ports and pending Allocates included) in this core.
    public var maximumAllocations = 100_000
    /// The same quotas server-wide, and the per-user byte budgets, when several cores share one
    /// server; consulted after `allocationsPerUser` and `maximumAllocations`. Nil for a lone core.
    public var sharedQuota: (any SharedQuota)?
    /// 508 beyond this many permissions in one allocation.
    public var permissionsPerAllocation = 64
    /// 508 beyond this many channel numbers (bound or cooling down) in one allocation; the
    /// protocol's own bound is 4096 (RFC 8656 §12).
    public var channelsPerAllocation = 64
    /// Bytes relayed per allocation, both directions together; nil for no limit.
    public var bandwidthPerAllocation: BandwidthLimit?
    /// Bytes relayed per user over all its allocations: in this core, or on every core when a
    /// `sharedQuota` hands out the budget. Nil for no limit.
    public var bandwidthPerUser: BandwidthLimit?
    /// Per-source budget for replies to unauthenticated requests (401, 438, 400 before auth).
    public var unauthenticatedRepliesPerSecond: UInt64 = 10
    public var unauthenticatedReplyBurst: UInt64 = 20
    public var unauthenticatedReplySlots = 4096
    /// Failed authentications (a request with a valid nonce whose credentials do not verify)
    /// allowed at once per source address and per static username, then one more per
    /// `authFailureInterval` (`AuthFailureTable`, `UsernameFailureBudgets`; docs/hardening.md,
    /// "Password guessing"). Ten covers a client retrying a mistyped password a few times.
    public var authFailureBurst: UInt64 = 10
    /// One failure every 5 s: 12 a minute per address, so a NAT whose misconfigured clients
    /// fail about once per call attempt stays clear, while one address guesses at most
    /// 17,280 passwords a day.
    public var authFailureInterval: Duration = .seconds(5)
    /// Slots of the per-source failure table: eight bytes each, fixed at start.
    public var authFailureSlots = 4096
    /// The per-username failure budgets every core shares; nil for a lone core, which keeps its
    /// own for the static users of `credentials`.
    public var usernameFailureBudgets: UsernameFailureBudgets?
    /// Byte credit for unauthenticated replies (the 401/438/400/420 above and Binding success
    /// responses), one per core, spoofed sources or not (`AmplificationBudget`). Every request
    /// earns its size; the credit refills at `amplificationBytesPerSecond` and holds at most
    /// `amplificationBurst`, so under a flood of N request bytes lasting t seconds the
    /// unauthenticated reply bytes stay below N + burst + rate·t: the server reflects no more
    /// than it receives. Legitimate clients keep the credit up, because the authenticated
    /// request that follows a 401 (USERNAME, REALM, NONCE, MESSAGE-INTEGRITY) is larger than
    /// the 401; the refill keeps the server answering when a flood has spent the credit.
    /// 64 KiB covers a few hundred 401s at startup or after a quiet spell.
    public var amplificationBurst: UInt64 = 65_536
    /// 8 KiB/s: about 60 unauthenticated replies a second per core with no request bytes at all.
    public var amplificationBytesPerSecond: UInt64 = 8_192
    /// How many ports to try before answering an Allocate with 508.
    public var maximumPortAttempts = 8

    /// SOFTWARE in authenticated responses (RFC 8489 §14.14); nil sends none.
    public var software: String?
    /// When draining, Allocate is refused with 300 and this ALTERNATE-SERVER (RFC 8489 §10), or
    /// with 403 when nil.
    public var alternateServer: TransportAddress?
    /// Refuse new allocations; existing ones live on.
    public var draining = false

    /// Offered in PASSWORD-ALGORITHMS, in preference order (RFC 8489 §9.2.1).
    public var passwordAlgorithms: [PasswordAlgorithm] = [.sha256, .md5]

    public var credentials: CredentialStore
    public var nonceIssuer: NonceIssuer
    public var peerPolicy: PeerPolicy

    public init(
        relayAddresses: [AddressFamily: RelayAddress],
        portRange: ClosedRange<UInt16> = PeerPolicy.defaultRelayPorts,
        credentials: CredentialStore,
        nonceIssuer: NonceIssuer,
        peerPolicy: PeerPolicy
    ) {
        self.relayAddresses = relayAddresses
        self.portRange = portRange
        self.credentials = credentials
        self.nonceIssuer = nonceIssuer
        self.peerPolicy = peerPolicy
    }

    /// RFC 8489 §9.2: the realm every request is authenticated in.
    public var realm: String { credentials.realm }
}
