import STUNWire

/// The egress resolver's decisions, without sockets (sans-IO): which destinations the installed
/// channel routes use, what the kernel said about their routes, next hops and interfaces, and
/// therefore what turnpike_egress_routes must hold. The shell (`EgressResolver`) feeds it
/// request replies and notifications and applies the `EgressChange`s it returns.
///
/// Bounded: one entry per destination in use (at most `capacity`), at most one next hop and one
/// interface per destination.
public struct EgressTable: Sendable {
    /// What a route lookup (RTM_GETROUTE) for a destination said.
    public struct Route: Hashable, Sendable {
        public var interfaceIndex: UInt32
        /// The gateway, or the destination itself when it is on-link.
        public var nextHop: IPAddress
        /// The route's own MTU (RTAX_MTU), when it sets one.
        public var mtu: UInt32?

        public init(interfaceIndex: UInt32, nextHop: IPAddress, mtu: UInt32? = nil) {
            self.interfaceIndex = interfaceIndex
            self.nextHop = nextHop
            self.mtu = mtu
        }
    }

    /// An interface as RTM_GETLINK describes it.
    public struct Link: Hashable, Sendable {
        public var address: [UInt8]
        public var mtu: UInt32
        public init(address: [UInt8], mtu: UInt32) {
            self.address = address
            self.mtu = mtu
        }
    }

    /// A next hop: the interface it is reached on and its address.
    public struct NextHop: Hashable, Sendable {
        public var interfaceIndex: UInt32
        public var address: IPAddress
        public init(interfaceIndex: UInt32, address: IPAddress) {
            self.interfaceIndex = interfaceIndex
            self.address = address
        }
    }

    /// Why a destination in use has no egress entry: the program passes its packets to the
    /// stack (`egress_unresolved`) and userspace relays them.
    public enum Unresolved: String, Hashable, Sendable, CaseIterable {
        /// Not resolved yet, or the route lookup failed.
        case noRoute = "no_route"
        /// Local, blackhole, unreachable, prohibit, a gateway of the other family, encapsulation.
        case notForwardable = "not_forwardable"
        /// The egress interface is not Ethernet (no 6-byte address), or it is gone.
        case notEthernet = "not_ethernet"
        /// The next hop's MAC is not known (yet): the kernel resolves it when userspace sends.
        case noNeighbour = "no_neighbour"
    }

    struct Destination {
        var users: Int
        /// nil until resolved, or when the lookup found nothing the program can follow.
        var route: Route?
        var notForwardable = false
    }

    private(set) var destinations: [IPAddress: Destination] = [:]
    /// Next hops in use: their MAC when usable, nil when not (yet).
    private(set) var neighbours: [NextHop: [UInt8]?] = [:]
    /// Interfaces in use.
    private(set) var links: [UInt32: Link?] = [:]
    /// What the map holds, as this table last decided it.
    public private(set) var written: [IPAddress: XDPEgress] = [:]
    public let capacity: Int

    public init(capacity: Int) {
        self.capacity = capacity
    }

    /// Destinations in use.
    public var destinationCount: Int { destinations.count }

    /// Whether a route uses `destination`.
    public func uses(_ destination: IPAddress) -> Bool { destinations[destination] != nil }

    // MARK: Use by routes

    /// A channel route uses `destination`. True when it is new to the table and must be resolved
    /// (`resolved(_:route:link:neighbour:)`); false when already known, or when the table is
    /// full (the destination stays unresolved: userspace relays to it).
    public mutating func retain(_ destination: IPAddress) -> Bool {
        if destinations[destination] != nil {
            destinations[destination]!.users += 1
            return false
        }
        guard destinations.count < capacity else { return false }
        destinations[destination] = Destination(users: 1)
        return true
    }

    /// A channel route no longer uses `destination`; its entry goes with its last user.
    public mutating func release(_ destination: IPAddress) -> [EgressChange] {
        guard var entry = destinations[destination] else { return [] }
        entry.users -= 1
        guard entry.users <= 0 else {
            destinations[destination] = entry
            return []
        }
        destinations[destination] = nil
        pruneIfNeeded()
        return update(destination)
    }

    // MARK: Resolution

    /// Records what the kernel said about `destination`: its route reply (nil: no route, or
    /// one the program cannot follow), the egress interface and the next hop's neighbour entry.
    public mutating func resolved(_ destination: IPAddress, route reply: NetlinkRoute?, link: NetlinkLink?,
                                  neighbour: NetlinkNeighbour?) -> [EgressChange] {
        guard destinations[destination] != nil else { return [] }
        let route = reply.flatMap { Self.followable($0, destination: destination) }
        destinations[destination]!.route = route
        destinations[destination]!.notForwardable = reply != nil && route == nil
        if let route {
            if let link, link.interfaceIndex == route.interfaceIndex {
                links[route.interfaceIndex] = .some(Self.ethernet(link))
            } else if links[route.interfaceIndex] == nil {
                links[route.interfaceIndex] = .some(nil)
            }
            let hop = NextHop(interfaceIndex: route.interfaceIndex, address: route.nextHop)
            if let neighbour, neighbour.interfaceIndex == route.interfaceIndex, neighbour.destination == route.nextHop {
                neighbours[hop] = .some(Self.usableAddress(neighbour))
            } else if neighbours[hop] == nil {
                neighbours[hop] = .some(nil)
            }
        }
        return update(destination)
    }

    /// What a route reply means for the program: nil unless it is a unicast route out of one
    /// interface with a next hop of the destination's family.
    static func followable(_ reply: NetlinkRoute, destination: IPAddress) -> Route? {
        guard !reply.deleted, reply.routeType == Netlink.routeTypeUnicast, !reply.unsupportedNextHop,
              let interfaceIndex = reply.outputInterface, interfaceIndex != 0 else { return nil }
        let nextHop = reply.gateway ?? destination
        guard nextHop.family == destination.family else { return nil }
        return Route(interfaceIndex: interfaceIndex, nextHop: nextHop, mtu: reply.mtu)
    }

    static func ethernet(_ link: NetlinkLink) -> Link? {
        guard !link.deleted, link.hardwareType == Netlink.hardwareEthernet, let address = link.address,
              address.count == XDPEgress.macLength, let mtu = link.mtu else { return nil }
        return Link(address: address, mtu: mtu)
    }

    static func usableAddress(_ neighbour: NetlinkNeighbour) -> [UInt8]? {
        guard !neighbour.deleted, neighbour.state & Netlink.neighbourUsable != 0, let address = neighbour.linkAddress,
              address.count == XDPEgress.macLength else { return nil }
        return address
    }

    // MARK: Notifications

    /// What a notification changes. Neighbour and link changes are applied here; a route change
    /// (or an unparseable datagram: `everything`) can change any destination's route, so the
    /// destinations to resolve again are returned for the shell to look up.
    public mutating func apply(_ message: NetlinkMessage) -> (changes: [EgressChange], resolveAgain: [IPAddress]) {
        switch message.body {
        case .neighbour(let neighbour):
            guard let address = neighbour.destination else { return ([], []) }
            let hop = NextHop(interfaceIndex: neighbour.interfaceIndex, address: address)
            guard neighbours[hop] != nil else { return ([], []) }
            let mac = Self.usableAddress(neighbour)
            guard neighbours[hop]! != mac else { return ([], []) }
            neighbours[hop] = .some(mac)
            return (updateAll { $0.interfaceIndex == hop.interfaceIndex && $0.nextHop == hop.address }, [])
        case .link(let link):
            guard links[link.interfaceIndex] != nil else { return ([], []) }
            let described = Self.ethernet(link)
            if link.deleted {
                // The interface is gone: its routes are too; look them up again.
                links[link.interfaceIndex] = .some(nil)
                let affected = destinations.filter { $0.value.route?.interfaceIndex == link.interfaceIndex }.map(\.key)
                return (updateAll { $0.interfaceIndex == link.interfaceIndex }, affected)
            }
            guard links[link.interfaceIndex]! != described else { return ([], []) }
            links[link.interfaceIndex] = .some(described)
            return (updateAll { $0.interfaceIndex == link.interfaceIndex }, [])
        case .route(let route):
            // A routing cache entry (IPv6 exceptions, PMTU) is not a change of the tables.
            guard route.routeFlags & Netlink.routeFlagCloned == 0 else { return ([], []) }
            return ([], everything)
        case .error, .done, .ignored:
            return ([], [])
        }
    }

    /// Every destination in use, for a route change or lost notifications.
    public var everything: [IPAddress] { Array(destinations.keys) }

    // MARK: Decisions

    /// The egress `destination` should have, or why it has none.
    public func egress(for destination: IPAddress) -> Result<XDPEgress, UnresolvedError> {
        guard let entry = destinations[destination] else { return .failure(UnresolvedError(reason: .noRoute)) }
        guard let route = entry.route else {
            return .failure(UnresolvedError(reason: entry.notForwardable ? .notForwardable : .noRoute))
        }
        guard let link = links[route.interfaceIndex] ?? nil else { return .failure(UnresolvedError(reason: .notEthernet)) }
        guard let mac = neighbours[NextHop(interfaceIndex: route.interfaceIndex, address: route.nextHop)] ?? nil else {
            return .failure(UnresolvedError(reason: .noNeighbour))
        }
        let mtu = min(link.mtu, route.mtu ?? link.mtu, UInt32(UInt16.max))
        return .success(XDPEgress(interfaceIndex: route.interfaceIndex, sourceMAC: link.address, nextHopMAC: mac,
                                  mtu: UInt16(mtu)))
    }

    public struct UnresolvedError: Error, Hashable, Sendable {
        public var reason: Unresolved
    }

    /// How many destinations in use lack an egress entry, by reason.
    public var unresolvedCounts: [Unresolved: Int] {
        var counts: [Unresolved: Int] = [:]
        for destination in destinations.keys {
            if case .failure(let error) = egress(for: destination) { counts[error.reason, default: 0] += 1 }
        }
        return counts
    }

    /// Brings `written` in line with the decision for one destination.
    private mutating func update(_ destination: IPAddress) -> [EgressChange] {
        let wanted: XDPEgress? = if case .success(let egress) = egress(for: destination) { egress } else { nil }
        guard written[destination] != wanted else { return [] }
        written[destination] = wanted
        return [wanted.map { .write(destination, $0) } ?? .remove(destination)]
    }

    private mutating func updateAll(where matches: (Route) -> Bool) -> [EgressChange] {
        var changes: [EgressChange] = []
        for (destination, entry) in destinations {
            guard let route = entry.route, matches(route) else { continue }
            changes += update(destination)
        }
        return changes
    }

    /// Forgets next hops and interfaces no destination uses once they outnumber the destinations
    /// (amortised: a sweep per doubling).
    private mutating func pruneIfNeeded() {
        let limit = 2 * max(destinations.count, Self.pruneFloor)
        guard neighbours.count > limit || links.count > limit else { return }
        let routes = destinations.values.compactMap(\.route)
        let hops = Set(routes.map { NextHop(interfaceIndex: $0.interfaceIndex, address: $0.nextHop) })
        let interfaces = Set(routes.map(\.interfaceIndex))
        neighbours = neighbours.filter { hops.contains($0.key) }
        links = links.filter { interfaces.contains($0.key) }
    }

    /// Below this many destinations, unused next hops and interfaces are not swept.
    static let pruneFloor = 16
}
