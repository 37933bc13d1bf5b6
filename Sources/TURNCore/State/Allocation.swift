import NIOCore
import STUNWire

/// An allocation (RFC 8656 §2, §7): relayed address(es), permissions, channel bindings.
struct Allocation: Sendable {
    /// One relayed address with its own lifetime: a dual allocation's families are refreshed or
    /// deleted separately (RFC 8656 §8).
    struct Relay: Sendable {
        var address: RelayedTransportAddress
        var expiry: Instant
    }

    let id: AllocationID
    let fiveTuple: FiveTuple
    /// RFC 8656 §5: later requests on this 5-tuple must use this username (else 441).
    let username: String
    /// Who the quota and the per-user budget charge.
    let user: String
    /// The credential that authenticated the Allocate: a reload that removes it ends the
    /// allocation (`AllocationEndReason.credentialsRevoked`).
    let origin: CredentialOrigin
    let credentialExpiry: UInt64?
    var relays: [Relay]
    var timerDeadline: Instant
    var permissions: [IPAddress: Permission] = [:]
    var channels: [ChannelNumber: ChannelBinding] = [:]
    var channelByPeer: [TransportAddress: ChannelNumber] = [:]
    let dontFragment: Bool
    /// RFC 8656 §7.2: a retransmitted Allocate gets this response again.
    let allocateTransactionID: TransactionID
    let allocateResponse: ByteBuffer
    /// When it was created (admin API: age).
    let created: Instant

    var expiry: Instant { relays.map(\.expiry).max() ?? Instant(nanoseconds: 0) }
    var earliestRelayExpiry: Instant { relays.map(\.expiry).min() ?? Instant(nanoseconds: 0) }

    func relay(for family: AddressFamily) -> RelayedTransportAddress? {
        for relay in relays where relay.address.family == family { return relay.address }
        return nil
    }

    func hasPermission(for ip: IPAddress, at now: Instant) -> Bool {
        permissions[ip]?.isActive(at: now) ?? false
    }

    func route(for channel: ChannelNumber, binding: ChannelBinding) -> ChannelRoute? {
        guard let relayed = relay(for: binding.peer.family) else { return nil }
        return ChannelRoute(allocation: id, fiveTuple: fiveTuple, channel: channel, relayed: relayed.local, peer: binding.peer)
    }
}
