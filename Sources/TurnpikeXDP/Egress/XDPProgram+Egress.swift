#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CLibbpf
import CTurnpikeXDP
import STUNWire

extension XDPProgram {
    /// Writes the egress of packets relayed to `destination` (turnpike_egress_routes).
    public func setEgress(_ egress: XDPEgress, for destination: IPAddress) throws(XDPError) {
        guard var value = egress.encoded() else {
            throw XDPError(.map, "egress for \(destination): MACs must be \(XDPEgress.macLength) bytes")
        }
        var key = Self.destinationKey(destination)
        let result = bpf_map_update_elem(egressRoutesDescriptor, &key, &value, UInt64(BPF_ANY))
        guard result == 0 else { throw XDPError(.map, errno: -result, "writing the egress for \(destination)") }
    }

    /// Removes the egress of `destination`: packets relayed there go to the stack
    /// (`egress_unresolved`). Removing one that is not there does nothing.
    public func removeEgress(for destination: IPAddress) throws(XDPError) {
        var key = Self.destinationKey(destination)
        let result = bpf_map_delete_elem(egressRoutesDescriptor, &key)
        guard result == 0 || result == -ENOENT else {
            throw XDPError(.map, errno: -result, "removing the egress for \(destination)")
        }
    }

    /// The egress the map holds for `destination`, nil when it holds none.
    public func egress(for destination: IPAddress) throws(XDPError) -> XDPEgress? {
        var key = Self.destinationKey(destination)
        var value = turnpike_egress_route()
        let result = bpf_map_lookup_elem(egressRoutesDescriptor, &key, &value)
        if result == -ENOENT { return nil }
        guard result == 0 else { throw XDPError(.map, errno: -result, "reading the egress for \(destination)") }
        return XDPEgress(value)
    }

    static func destinationKey(_ destination: IPAddress) -> turnpike_destination {
        var key = turnpike_destination()
        withUnsafeMutableBytes(of: &key) { raw in XDPWire.write(address: destination, into: raw, at: 0) }
        return key
    }
}
