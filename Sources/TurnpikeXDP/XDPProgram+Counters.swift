import CLibbpf
import CTurnpikeXDP

extension XDPProgram {
    /// The kernel's counters for an installed binding, summed over CPUs; nil when not installed.
    public func counters(for route: XDPChannelRoute) throws(XDPError) -> XDPRouteCounters? {
        guard let index = routeIndex(of: route) else { return nil }
        return try routeCounters(index: index)
    }

    /// The kernel's counters for a route index, summed over CPUs.
    public func routeCounters(index: UInt32) throws(XDPError) -> XDPRouteCounters {
        let values: [turnpike_route_counters] = try lookupPerCPU(routeCountersDescriptor, key: index)
        var sum = XDPRouteCounters()
        for value in values {
            sum.toPeerPackets &+= value.to_peer_packets
            sum.toPeerBytes &+= value.to_peer_bytes
            sum.toClientPackets &+= value.to_client_packets
            sum.toClientBytes &+= value.to_client_bytes
        }
        return sum
    }

    /// Packets and bytes per verdict reason since load, summed over CPUs; every reason is present.
    public func reasonCounters() throws(XDPError) -> [XDPReason: XDPReasonCounters] {
        var result: [XDPReason: XDPReasonCounters] = [:]
        for reason in XDPReason.all {
            let values: [turnpike_reason_counters] = try lookupPerCPU(reasonCountersDescriptor, key: reason.rawValue)
            var sum = XDPReasonCounters()
            for value in values {
                sum.packets &+= value.packets
                sum.bytes &+= value.bytes
            }
            result[reason] = sum
        }
        return result
    }

    /// Zeroes a route's slot on every CPU, so a reused index starts from nothing.
    func zeroRouteCounters(_ index: UInt32) throws(XDPError) {
        var key = index
        var zeros = [turnpike_route_counters](repeating: turnpike_route_counters(), count: possibleCPUs)
        let result = bpf_map_update_elem(routeCountersDescriptor, &key, &zeros, UInt64(BPF_ANY))
        guard result == 0 else { throw XDPError(.map, errno: -result, "zeroing route \(index)") }
    }

    /// One value per possible CPU. Per-CPU values are laid out at 8-byte strides; every counter
    /// struct is a multiple of 8 bytes, so an array of them has exactly that layout.
    private func lookupPerCPU<Value: BitwiseCopyable>(_ descriptor: Int32, key: UInt32) throws(XDPError) -> [Value] {
        let stride = MemoryLayout<Value>.stride
        precondition(stride % 8 == 0, "per-CPU values must be 8-byte multiples")
        var key = key
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: stride * possibleCPUs, alignment: 8)
        defer { buffer.deallocate() }
        let result = bpf_map_lookup_elem(descriptor, &key, buffer.baseAddress)
        guard result == 0 else { throw XDPError(.map, errno: -result, "reading per-CPU slot \(key)") }
        return (0..<possibleCPUs).map { cpu in buffer.load(fromByteOffset: cpu * stride, as: Value.self) }
    }
}
