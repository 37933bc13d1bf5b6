/// Which way relayed data went. Raw values are stable metric labels.
public enum TrafficDirection: String, Hashable, Sendable, CaseIterable {
    /// From the client through a relayed transport address to a peer (RFC 8656 §11.2, §12.6).
    case toPeer = "to_peer"
    /// From a peer through a relayed transport address to the client (RFC 8656 §11.3, §12.7).
    case toClient = "to_client"
}
