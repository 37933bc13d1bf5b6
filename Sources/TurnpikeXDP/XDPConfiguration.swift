import CTurnpikeXDP

/// The static configuration the program is loaded with (`const volatile` rodata, fixed at load):
/// which UDP ports are client-facing listening ports and which range holds relayed addresses.
public struct XDPConfiguration: Hashable, Sendable {
    /// Listening ports carrying ChannelData from clients; at most `maximumListeningPorts`.
    public var listeningPorts: [UInt16]
    /// Ports of relayed transport addresses; nil when no relayed traffic should be recognised.
    public var relayPorts: ClosedRange<UInt16>?

    public static let maximumListeningPorts = Int(TURNPIKE_XDP_MAX_LISTEN_PORTS)

    public init(listeningPorts: [UInt16], relayPorts: ClosedRange<UInt16>?) {
        self.listeningPorts = listeningPorts
        self.relayPorts = relayPorts
    }

    /// The C struct the program reads, or an error when it cannot be expressed.
    func encoded() throws(XDPError) -> turnpike_xdp_config {
        guard listeningPorts.count <= Self.maximumListeningPorts else {
            throw XDPError(.invalidConfiguration, "\(listeningPorts.count) listening ports, at most \(Self.maximumListeningPorts)")
        }
        guard !listeningPorts.contains(0) else {
            throw XDPError(.invalidConfiguration, "port 0 cannot be a listening port")
        }
        var config = turnpike_xdp_config()
        withUnsafeMutableBytes(of: &config) { raw in
            let base = MemoryLayout<turnpike_xdp_config>.offset(of: \.listen_ports)!
            for (slot, port) in listeningPorts.enumerated() {
                XDPWire.write(port: port, into: raw, at: base + 2 * slot)
            }
            // No range is written as an empty one: min > max.
            let (min, max) = relayPorts.map { ($0.lowerBound, $0.upperBound) } ?? (1, 0)
            XDPWire.write(port: min, into: raw, at: MemoryLayout<turnpike_xdp_config>.offset(of: \.relay_port_min)!)
            XDPWire.write(port: max, into: raw, at: MemoryLayout<turnpike_xdp_config>.offset(of: \.relay_port_max)!)
        }
        return config
    }
}
