import NIOCore
import STUNWire

/// What the shell must do, in order, after an input (DESIGN.md, "The core").
public enum RelayAction: Hashable, Sendable {
    /// Send `bytes` to the client of `fiveTuple` (its socket for UDP, its connection otherwise):
    /// a response (or, from the retransmission cache, the response already sent). The shell
    /// must not drop it. Stream framing is already applied: STUN messages need none.
    case sendToClient(FiveTuple, ByteBuffer)
    /// Relayed data for the client of `fiveTuple`: a Data indication (RFC 8656 §11.3), or
    /// ChannelData (§12.7, padded on streams) for traffic between two allocations of this core.
    /// Like the UDP datagram it carries, it may be lost: the shell drops it, counted, when the
    /// client's connection cannot take more (RFC 8656 §3.1 gives TCP and TLS no other relief).
    case relayToClient(FiveTuple, ByteBuffer)
    /// Send `payload` as one UDP datagram from the local relayed address `relayed` to `peer`.
    case sendToPeer(relayed: TransportAddress, peer: TransportAddress, payload: ByteBuffer, dontFragment: Bool)
    /// Bind these relay ports, then call `relayOpened` or `relayOpenFailed` with the request id.
    case openRelayPorts(RelayPortRequest)
    /// Close the relay socket bound at this local address.
    case closeRelayPort(TransportAddress)
    /// Make a bound channel's fast path ready; emitted before the ChannelBind success response.
    case installChannelRoute(ChannelRoute)
    /// Tear the fast path down: the channel, its permission or its allocation ended.
    case removeChannelRoute(ChannelRoute)
    /// Something to count or log.
    case event(RelayEvent)
}
