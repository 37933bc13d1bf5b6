#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CLibbpf
import CTurnpikeXDP
import STUNWire

extension XDPProgram {
    /// Starts keeping turnpike_egress_routes from the kernel's routing, neighbour and link tables
    /// (rtnetlink), in the calling thread's network namespace, which must own the interfaces the
    /// program is attached to. Every installed route's destinations are resolved now, later ones
    /// as they are installed; notifications keep them current until the program is released.
    /// Starting again does nothing.
    public func startEgressResolution() throws(XDPError) {
        guard state.withLock({ $0.resolver }) == nil else { return }
        let descriptor = egressRoutesDescriptor
        let resolver: EgressResolver
        do throws(NetlinkSocket.Failure) {
            resolver = try EgressResolver(capacity: Int(TURNPIKE_XDP_MAX_DESTINATIONS)) { changes in
                for change in changes { Self.write(change, descriptor: descriptor) }
            }
        } catch {
            throw XDPError(.netlink, errno: error.errno, error.description)
        }
        let routes = routeUpdates.withLock { _ in
            state.withLock { state in
                state.resolver = resolver
                return state.routes.values.map(\.route)
            }
        }
        for route in routes { resolver.retain(Self.destinations(of: route)) }
    }

    /// Whether egress resolution runs.
    public var resolvesEgress: Bool { state.withLock { $0.resolver != nil } }

    /// What the resolver decided: destinations in use and how many lack an egress, by reason.
    public var egressResolution: XDPEgressResolution? {
        guard let resolver = state.withLock({ $0.resolver }) else { return nil }
        let table = resolver.snapshot
        return XDPEgressResolution(
            destinations: table.destinationCount, resolved: table.written.count, unresolved: table.unresolvedCounts,
            requestFailures: resolver.requestFailures, resyncs: resolver.notificationResyncs)
    }

    /// Applies one decision to the map. A failed write leaves the destination without an entry
    /// (or with its last one until the next change): the program passes what it cannot send.
    private static func write(_ change: EgressChange, descriptor: Int32) {
        switch change {
        case .write(let destination, let egress):
            guard var value = egress.encoded() else { return }
            var key = destinationKey(destination)
            _ = bpf_map_update_elem(descriptor, &key, &value, UInt64(BPF_ANY))
        case .remove(let destination):
            var key = destinationKey(destination)
            _ = bpf_map_delete_elem(descriptor, &key)
        }
    }
}
