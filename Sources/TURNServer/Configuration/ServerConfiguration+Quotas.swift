extension ServerConfiguration {
    /// Resource limits. A zero count or rate means unlimited, except the reply budget.
    public struct Quotas: Hashable, Sendable {
        public var allocationsPerUser: Int
        public var allocationsTotal: Int
        public var permissionsPerAllocation: Int
        /// Bytes per second relayed for one allocation, both directions together; 0 = unlimited.
        public var bandwidthPerAllocation: UInt64
        /// Bytes per second relayed for all of one user's allocations; 0 = unlimited.
        public var bandwidthPerUser: UInt64
        /// Token bucket per source address for 401 and 438 replies (replies per second, burst).
        public var authReplyRate: UInt64
        public var authReplyBurst: UInt64
        /// Byte credit per event loop for all unauthenticated replies, earned by request bytes
        /// (`AmplificationBudget`): refill in bytes per second, and burst in bytes.
        public var amplificationRate: UInt64
        public var amplificationBurst: UInt64
        /// Failed authentications allowed at once per source address and per static username,
        /// then one more every `authFailureInterval` (`AuthFailureTable`).
        public var authFailureBurst: UInt64
        public var authFailureInterval: Duration

        public init(
            allocationsPerUser: Int,
            allocationsTotal: Int,
            permissionsPerAllocation: Int,
            bandwidthPerAllocation: UInt64,
            bandwidthPerUser: UInt64,
            authReplyRate: UInt64,
            authReplyBurst: UInt64,
            amplificationRate: UInt64,
            amplificationBurst: UInt64,
            authFailureBurst: UInt64 = Defaults.authFailureBurst,
            authFailureInterval: Duration = Defaults.authFailureInterval
        ) {
            self.allocationsPerUser = allocationsPerUser
            self.allocationsTotal = allocationsTotal
            self.permissionsPerAllocation = permissionsPerAllocation
            self.bandwidthPerAllocation = bandwidthPerAllocation
            self.bandwidthPerUser = bandwidthPerUser
            self.authReplyRate = authReplyRate
            self.authReplyBurst = authReplyBurst
            self.amplificationRate = amplificationRate
            self.amplificationBurst = amplificationBurst
            self.authFailureBurst = authFailureBurst
            self.authFailureInterval = authFailureInterval
        }
    }

    /// The smallest amplification burst accepted: room for the largest 401 or 438 (REALM and
    /// NONCE at their RFC 8489 §14.9 and §14.10 limits of 763 bytes each, about 1.6 KB in all),
    /// so that a full credit always covers a challenge and clients can still authenticate.
    public static let minimumAmplificationBurst: UInt64 = 2048
}
