import NIOCore
import STUNWire

/// The result of the data hot path (ChannelData from a client, a datagram from a peer): where
/// the payload goes, returned directly rather than queued, with the payload a slice of the input
/// (no copy, no heap allocation).
public enum RelayRoute: Hashable, Sendable {
    /// Handled without a direct route: dropped (and counted), or answered through actions.
    case none
    /// Send `payload` from the local relayed address to the peer.
    case toPeer(relayed: TransportAddress, peer: TransportAddress, payload: ByteBuffer, dontFragment: Bool)
    /// Send `payload` to the client as ChannelData on `channel`; pad it to a multiple of 4 when
    /// `fiveTuple.transport.isStream` (RFC 8656 §12.5).
    case toClient(FiveTuple, channel: ChannelNumber, payload: ByteBuffer)
}
