/// The transport between client and server (RFC 8656 §3.1). The relay itself is always UDP.
public enum ClientTransport: String, Hashable, Sendable, CaseIterable {
    case udp
    case tcp
    case tls

    /// Over a stream, ChannelData must be padded to a multiple of 4 (RFC 8656 §12.5).
    public var isStream: Bool {
        switch self {
        case .udp: false
        case .tcp, .tls: true
        }
    }
}
