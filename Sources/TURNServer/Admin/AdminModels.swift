/// The admin API's JSON documents (shared by the server and the `turnpike` CLI). Durations are
/// seconds; addresses are text ("192.0.2.1:3478", "[2001:db8::1]:3478").
public enum AdminAPI {
    public static let version = "v1"
}

/// Packets and bytes each way.
public struct AdminTrafficCounts: Codable, Hashable, Sendable {
    public var packetsToPeer: UInt64
    public var bytesToPeer: UInt64
    public var packetsToClient: UInt64
    public var bytesToClient: UInt64

    public init(packetsToPeer: UInt64 = 0, bytesToPeer: UInt64 = 0, packetsToClient: UInt64 = 0, bytesToClient: UInt64 = 0) {
        self.packetsToPeer = packetsToPeer
        self.bytesToPeer = bytesToPeer
        self.packetsToClient = packetsToClient
        self.bytesToClient = bytesToClient
    }
}

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

public struct AdminAllocationList: Codable, Hashable, Sendable {
    public var allocations: [AdminAllocation]
}

public struct AdminDeleteResult: Codable, Hashable, Sendable {
    public var deleted: [String]
}

public struct AdminActionResult: Codable, Hashable, Sendable {
    public var ok: Bool
    public var message: String
}

public struct AdminError: Codable, Hashable, Sendable, Error {
    public var error: String

    public init(error: String) { self.error = error }
}

/// Server-wide numbers.
public struct AdminStats: Codable, Hashable, Sendable {
    public var ready: Bool
    public var draining: Bool
    public var eventLoops: Int
    public var uptimeSeconds: Double
    public var allocations: Int
    /// "ipv4/udp" → count.
    public var allocationsByKind: [String: Int]
    public var permissions: Int
    public var channels: Int
    public var streamConnections: Int
    public var allocationsCreated: UInt64
    public var allocationsDeleted: [String: UInt64]
    /// Datapath ("userspace", "xdp") → traffic.
    public var relayed: [String: AdminTrafficCounts]
    /// Drop reason → count, non-zero only.
    public var dropped: [String: UInt64]
    /// "method result" → count.
    public var requests: [String: UInt64]
    public var authenticationFailures: [String: UInt64]
    public var listeners: [String: [String]]
}
