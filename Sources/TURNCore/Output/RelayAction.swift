import NIOCore
import STUNWire

/// What the shell must do, in order, after an input (DESIGN.md, "The core").
public enum RelayAction: Hashable, Sendable {
    /// Send `bytes` to the client of `fiveTuple` (its socket for UDP, its connection otherwise).
    /// Stream framing is already applied: STUN messages need none, ChannelData is padded.
    case sendToClient(FiveTuple, ByteBuffer)
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
