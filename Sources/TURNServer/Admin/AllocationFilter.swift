import STUNWire
import TURNCore

/// The admin API's list filters; every one given must match.
public struct AllocationFilter: Hashable, Sendable {
    /// The quota identity or the full USERNAME.
    public var user: String?
    /// A client IP address, or IP and port.
    public var client: String?
    /// A peer IP address with a permission or a channel, or IP and port of a channel's peer.
    public var peer: String?
    public var minimumAge: Duration?
    /// "ipv4", "ipv6" or "dual".
    public var family: String?
    public var transport: ClientTransport?

    public init(
        user: String? = nil, client: String? = nil, peer: String? = nil, minimumAge: Duration? = nil,
        family: String? = nil, transport: ClientTransport? = nil
    ) {
        self.user = user
        self.client = client
        self.peer = peer
        self.minimumAge = minimumAge
        self.family = family
        self.transport = transport
    }

    func matches(_ snapshot: AllocationSnapshot) -> Bool {
        if let user, snapshot.user != user && snapshot.username != user { return false }
        if let client, !Self.address(snapshot.fiveTuple.client, matches: client) { return false }
        if let peer {
            let permitted = snapshot.permissions.contains { $0.peer.description == Self.bareIP(peer) }
            let channel = snapshot.channels.contains { Self.address($0.peer, matches: peer) }
            if !permitted && !channel { return false }
        }
        if let minimumAge, snapshot.age < minimumAge { return false }
        if let family, snapshot.familyLabel != family { return false }
        if let transport, snapshot.fiveTuple.transport != transport { return false }
        return true
    }

    static func address(_ address: TransportAddress, matches text: String) -> Bool {
        address.description == text || address.ip.description == bareIP(text)
    }

    /// "[::1]" → "::1"; other text unchanged.
    static func bareIP(_ text: String) -> String {
        text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text
    }
}
