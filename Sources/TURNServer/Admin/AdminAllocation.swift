/// One allocation as the admin API shows it.
public struct AdminAllocation: Codable, Hashable, Sendable {
    public struct Relay: Codable, Hashable, Sendable {
        public var local: String
        public var advertised: String
        public var family: String
        public var lifetimeLeftSeconds: Double
    }

    public struct Permission: Codable, Hashable, Sendable {
        public var peer: String
        public var expiresInSeconds: Double
    }

    public struct Channel: Codable, Hashable, Sendable {
        /// "0x4000".
        public var number: String
        public var peer: String
        public var bound: Bool
        public var expiresInSeconds: Double
    }

    /// Traffic split by datapath: what the userspace relay carried and what the XDP fast path
    /// carried (zero until it is attached).
    public struct Traffic: Codable, Hashable, Sendable {
        public var userspace: AdminTrafficCounts
        public var xdp: AdminTrafficCounts
    }

    /// "<event loop>-<number>", unique while the server runs.
    public var id: String
    public var user: String
    public var username: String
    public var transport: String
    public var client: String
    public var server: String
    public var family: String
    public var relayed: [Relay]
    public var ageSeconds: Double
    public var lifetimeLeftSeconds: Double
    public var permissions: [Permission]
    public var channels: [Channel]
    public var traffic: Traffic
    /// Bytes per second, both directions, over the last second.
    public var bytesPerSecond: UInt64
}
