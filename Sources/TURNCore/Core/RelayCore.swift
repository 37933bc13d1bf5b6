import NIOCore
import STUNWire

/// The sans-IO TURN server (RFC 8656 on RFC 8489): one value per event loop, fed bytes,
/// addresses and `now`, answering with actions (`drainActions`) and, on the ChannelData hot path,
/// a `RelayRoute`. It never reads a clock, a global RNG, a socket or a log.
public struct RelayCore: Sendable {
    public internal(set) var configuration: RelayConfiguration
    var random: RelayRandom
    var replyLimiter: ReplyRateLimiter
    /// Failed authentications per source, and per static username server-wide (password
    /// guessing; `RelayCore+AuthFailures`).
    var authFailures: AuthFailureTable
    var usernameFailures: UsernameFailureBudgets
    var amplificationBudget: AmplificationBudget

    var allocations: [AllocationID: Allocation] = [:]
    var allocationByTuple: [FiveTuple: AllocationID] = [:]
    var allocationByRelay: [RelayKey: AllocationID] = [:]
    var pending: [RelayPortRequestID: PendingAllocation] = [:]
    var pendingByTuple: [FiveTuple: RelayPortRequestID] = [:]
    var reservations: [UInt64: Reservation] = [:]
    /// Relay ports held by an allocation, a pending Allocate or a reservation.
    var portsInUse: Set<RelayKey> = []
    var users: [String: UserUsage] = [:]
    /// Quota units held in this core: allocations, pending Allocates and reserved ports
    /// (RFC 8656 §7.2), what `maximumAllocations` bounds.
    var heldUnits = 0
    /// Per-allocation byte budgets, apart from `allocations` so that the data path, which reads
    /// an allocation, mutates only this small table (and only when a budget is configured).
    var allocationBandwidth: [AllocationID: BandwidthBudget] = [:]
    /// Relayed packets and bytes per allocation, and its current rate (admin API). Kept out of
    /// `Allocation` so that the data path never writes to `allocations`: that write made the
    /// dictionary copy its storage while the path held an `Allocation` value.
    var allocationTraffic: [AllocationID: TrafficMeter] = [:]
    var timers = TimerHeap()
    var responseCache: ResponseCache
    /// Silent drops by reason, for metrics.
    public internal(set) var drops = DropCounters()
    /// Relayed packets and bytes by direction, over every allocation this core has had.
    public internal(set) var traffic = TrafficCounters()
    var actions: [RelayAction] = []
    var nextAllocationNumber: UInt64 = 1
    var nextRequestNumber: UInt64 = 1

    public init(configuration: RelayConfiguration, random: RelayRandom, now: Now) {
        self.configuration = configuration
        self.random = random
        replyLimiter = ReplyRateLimiter(
            ratePerSecond: configuration.unauthenticatedRepliesPerSecond,
            burst: configuration.unauthenticatedReplyBurst,
            slots: configuration.unauthenticatedReplySlots,
            seed: self.random.next())
        authFailures = AuthFailureTable(
            burst: configuration.authFailureBurst, interval: configuration.authFailureInterval,
            slots: configuration.authFailureSlots, seed: self.random.next())
        usernameFailures = Self.usernameFailures(for: configuration, previous: nil)
        amplificationBudget = AmplificationBudget(
            bytesPerSecond: configuration.amplificationBytesPerSecond, burst: configuration.amplificationBurst,
            now: now.monotonic)
        responseCache = ResponseCache(
            window: configuration.retransmissionWindow, capacity: configuration.retransmissionCacheCapacity)
    }

    /// Refuse new allocations (graceful drain); existing ones live on.
    public var draining: Bool {
        get { configuration.draining }
        set { configuration.draining = newValue }
    }

    /// The actions produced since the last call, in the order the shell must carry them out.
    public mutating func drainActions() -> [RelayAction] {
        guard !actions.isEmpty else { return [] }
        defer { actions = [] }
        return actions
    }

    /// When `handleTimeout` must next be called; nil when nothing is scheduled.
    public var nextDeadline: Instant? {
        switch (timers.nextDeadline, responseCache.nextExpiry) {
        case (nil, nil): nil
        case (let timer?, nil): timer
        case (nil, let cache?): cache
        case (let timer?, let cache?): min(timer, cache)
        }
    }

    public var allocationCount: Int { allocations.count }

    mutating func drop(_ reason: DropReason) {
        drops.record(reason)
    }

    mutating func emit(_ event: RelayEvent) {
        actions.append(.event(event))
    }
}
