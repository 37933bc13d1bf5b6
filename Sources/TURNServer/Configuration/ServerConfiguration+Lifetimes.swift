extension ServerConfiguration {
    /// RFC 8656 lifetimes: allocation default and maximum (§7.2, §7.3), permission (§9),
    /// channel binding (§12).
    public struct Lifetimes: Hashable, Sendable {
        public var allocationDefault: Duration
        public var allocationMaximum: Duration
        public var permission: Duration
        public var channel: Duration

        public init(allocationDefault: Duration, allocationMaximum: Duration, permission: Duration, channel: Duration) {
            self.allocationDefault = allocationDefault
            self.allocationMaximum = allocationMaximum
            self.permission = permission
            self.channel = channel
        }
    }
}
