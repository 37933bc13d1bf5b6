#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CLibbpf
import CTurnpikeXDP
import STUNWire

extension XDPProgram {
    /// Installs both map entries of a channel binding (client → peer and peer → client) and
    /// returns its route index. Installing the same binding again (a refresh) rewrites the entries
    /// and keeps the index and its counters. Call before sending the ChannelBind success response.
    @discardableResult
    public func installChannel(_ route: XDPChannelRoute) throws(XDPError) -> UInt32 {
        try routeUpdates.withLock { _ throws(XDPError) in try install(route) }
    }

    /// Removes both entries of a binding (channel, permission or allocation ended, or deleted by
    /// an admin) and frees its route index. Removing a binding that is not installed does nothing.
    public func removeChannel(_ route: XDPChannelRoute) throws(XDPError) {
        try routeUpdates.withLock { _ throws(XDPError) in try remove(route) }
    }

    /// Called with `routeUpdates` held, so a binding's map entries and index change together.
    private func install(_ route: XDPChannelRoute) throws(XDPError) -> UInt32 {
        let key = route.clientKey
        let previous = state.withLock { $0.routes[key] }
        let index: UInt32
        if let previous {
            index = previous.index
            if previous.route.relayed != route.relayed || previous.route.peer != route.peer {
                // The same client key now leads elsewhere: the old reverse entry must not linger.
                var oldPeer = XDPWire.peerTuple(previous.route)
                _ = bpf_map_delete_elem(peersDescriptor, &oldPeer)
            }
        } else {
            guard let fresh = state.withLock({ $0.allocator.allocate() }) else {
                throw XDPError(.routesExhausted, "\(TURNPIKE_XDP_MAX_ROUTES) routes in use")
            }
            index = fresh
            do {
                try zeroRouteCounters(index)
            } catch {
                state.withLock { $0.allocator.release(index) }
                throw error
            }
        }

        var clientKey = XDPWire.clientTuple(route)
        var channelValue = XDPWire.channelRoute(route, index: index)
        var peerKey = XDPWire.peerTuple(route)
        var peerValue = XDPWire.peerRoute(route, index: index)
        // The reverse entry first: a client's data may trigger peer replies at once.
        var result = bpf_map_update_elem(peersDescriptor, &peerKey, &peerValue, UInt64(BPF_ANY))
        if result == 0 {
            result = bpf_map_update_elem(channelsDescriptor, &clientKey, &channelValue, UInt64(BPF_ANY))
            if result != 0 { _ = bpf_map_delete_elem(peersDescriptor, &peerKey) }
        }
        guard result == 0 else {
            // Nothing of this binding may stay half-installed: userspace relays it instead.
            _ = bpf_map_delete_elem(channelsDescriptor, &clientKey)
            _ = bpf_map_delete_elem(peersDescriptor, &peerKey)
            let resolver = state.withLock { state in
                state.routes[key] = nil
                state.allocator.release(index)
                return state.resolver
            }
            // The binding that was installed before is gone too: so is its use of destinations.
            if let previous { resolver?.release(Self.destinations(of: previous.route)) }
            throw XDPError(.map, errno: -result, "installing \(route.channel) for \(route.client)")
        }
        let resolver = state.withLock { state in
            state.routes[key] = (route, index)
            return state.resolver
        }
        if let resolver {
            // The new destinations first, then the old ones go: a shared one is never dropped.
            resolver.retain(Self.destinations(of: route))
            if let previous { resolver.release(Self.destinations(of: previous.route)) }
        }
        return index
    }

    /// Called with `routeUpdates` held.
    private func remove(_ route: XDPChannelRoute) throws(XDPError) {
        guard let (installed, resolver) = state.withLock({ state in
            state.routes.removeValue(forKey: route.clientKey).map { ($0, state.resolver) }
        }) else { return }
        defer { resolver?.release(Self.destinations(of: installed.route)) }
        var clientKey = XDPWire.clientTuple(installed.route)
        var peerKey = XDPWire.peerTuple(installed.route)
        let channels = bpf_map_delete_elem(channelsDescriptor, &clientKey)
        let peers = bpf_map_delete_elem(peersDescriptor, &peerKey)
        state.withLock { $0.allocator.release(installed.index) }
        // -ENOENT means the entry is gone already, which is the goal.
        for result in [channels, peers] where result != 0 && result != -ENOENT {
            throw XDPError(.map, errno: -result, "removing \(route.channel) for \(route.client)")
        }
    }

    /// The addresses a route's packets are sent to: the peer (client → peer) and the client
    /// (peer → client).
    static func destinations(of route: XDPChannelRoute) -> [IPAddress] {
        [route.peer.ip, route.client.ip]
    }

    /// The route index of an installed binding.
    public func routeIndex(of route: XDPChannelRoute) -> UInt32? {
        state.withLock { $0.routes[route.clientKey]?.index }
    }

    /// How many bindings are installed.
    public var installedChannelCount: Int {
        state.withLock { $0.routes.count }
    }
}
