import NIOCore

/// One unit split from a TCP or TLS byte stream (RFC 8656 §3.1, §12.5).
public enum StreamFrame: Hashable, Sendable {
    /// A whole STUN message, still encoded: decode it with `STUNMessage.decode`.
    case stun(ByteBuffer)
    /// ChannelData with its padding removed.
    case channelData(ChannelData)
}
