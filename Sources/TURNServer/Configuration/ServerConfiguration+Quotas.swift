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

        public init(
            allocationsPerUser: Int,
            allocationsTotal: Int,
            permissionsPerAllocation: Int,
            bandwidthPerAllocation: UInt64,
            bandwidthPerUser: UInt64,
            authReplyRate: UInt64,
            authReplyBurst: UInt64
        ) {
            self.allocationsPerUser = allocationsPerUser
            self.allocationsTotal = allocationsTotal
            self.permissionsPerAllocation = permissionsPerAllocation
            self.bandwidthPerAllocation = bandwidthPerAllocation
            self.bandwidthPerUser = bandwidthPerUser
            self.authReplyRate = authReplyRate
            self.authReplyBurst = authReplyBurst
        }
    }
}
