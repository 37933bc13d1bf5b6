import CTurnpikeXDP

/// How a relayed packet to one destination leaves the host, as the kernel's routing, neighbour
/// and link tables say: the value of turnpike_egress_routes. The program rewrites the Ethernet
/// header with these MACs and sends the packet out of `interfaceIndex` (XDP_TX or a redirect)
/// when it fits `mtu`.
public struct XDPEgress: Hashable, Sendable, CustomStringConvertible {
    public var interfaceIndex: UInt32
    /// The egress interface's own address.
    public var sourceMAC: [UInt8]
    /// The gateway's address, or the destination's when it is on-link.
    public var nextHopMAC: [UInt8]
    /// The largest IP packet that leaves by this route (link MTU, or the route's lower one).
    public var mtu: UInt16

    /// Bytes in a MAC address.
    public static let macLength = Int(TURNPIKE_XDP_MAC_LENGTH)

    public init(interfaceIndex: UInt32, sourceMAC: [UInt8], nextHopMAC: [UInt8], mtu: UInt16) {
        self.interfaceIndex = interfaceIndex
        self.sourceMAC = sourceMAC
        self.nextHopMAC = nextHopMAC
        self.mtu = mtu
    }

    public var description: String {
        "ifindex \(interfaceIndex) \(Self.text(sourceMAC)) → \(Self.text(nextHopMAC)) mtu \(mtu)"
    }

    static func text(_ mac: [UInt8]) -> String {
        mac.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 0x10 ? "0" + hex : hex
        }.joined(separator: ":")
    }

    /// The C value; nil when a MAC is not 6 bytes.
    func encoded() -> turnpike_egress_route? {
        guard sourceMAC.count == Self.macLength, nextHopMAC.count == Self.macLength else { return nil }
        var value = turnpike_egress_route()
        value.ifindex = interfaceIndex
        value.mtu = mtu
        withUnsafeMutableBytes(of: &value) { raw in
            typealias Layout = MemoryLayout<turnpike_egress_route>
            let source = Layout.offset(of: \.source_mac)!
            let nextHop = Layout.offset(of: \.next_hop_mac)!
            for index in 0..<Self.macLength {
                raw[source + index] = sourceMAC[index]
                raw[nextHop + index] = nextHopMAC[index]
            }
        }
        return value
    }

    /// The Swift value of a C one.
    init(_ value: turnpike_egress_route) {
        var copy = value
        let (source, nextHop) = withUnsafeBytes(of: &copy) { raw in
            typealias Layout = MemoryLayout<turnpike_egress_route>
            let source = Layout.offset(of: \.source_mac)!
            let nextHop = Layout.offset(of: \.next_hop_mac)!
            return (Array(raw[source..<(source + Self.macLength)]), Array(raw[nextHop..<(nextHop + Self.macLength)]))
        }
        self.init(interfaceIndex: value.ifindex, sourceMAC: source, nextHopMAC: nextHop, mtu: value.mtu)
    }
}
