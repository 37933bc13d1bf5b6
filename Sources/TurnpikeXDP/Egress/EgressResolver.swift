#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import STUNWire
import Synchronization

/// The I/O shell around `EgressTable`: resolves each destination the installed channel routes
/// use through rtnetlink (RTM_GETROUTE, then RTM_GETLINK for the egress interface and
/// RTM_GETNEIGH for the next hop) when a route starts using it, and keeps the answers current
/// from route, neighbour and link notifications on a thread of its own. Every decision is
/// applied to turnpike_egress_routes through `apply`.
///
/// The sockets are made in the calling thread's network namespace, which must be the one of the
/// interfaces the program is attached to. Everything (the table, the request socket and the map
/// writes) is serialised by one lock, so a reply and a notification never overtake each other.
final class EgressResolver: @unchecked Sendable {
    // @unchecked: `shared` is behind a Mutex; the subscription socket is used by the monitor
    // thread only; `thread` is written once before start and read in stop.
    struct Shared {
        var table: EgressTable
        let requests: NetlinkSocket
        var sequence: UInt32 = 0
        /// Requests that failed (timeout, socket error): the destination stays unresolved.
        var requestFailures: UInt64 = 0
        /// Notification datagrams that did not parse, or were lost (ENOBUFS).
        var notificationResyncs: UInt64 = 0
    }

    private let shared: Mutex<Shared>
    private let subscription: NetlinkSocket
    private let apply: @Sendable ([EgressChange]) -> Void
    private let stopping = Atomic<Bool>(false)
    private var thread: pthread_t?

    /// Opens both sockets in the calling thread's namespace and starts watching notifications.
    init(capacity: Int, apply: @escaping @Sendable ([EgressChange]) -> Void) throws(NetlinkSocket.Failure) {
        let requests = try NetlinkSocket(groups: 0)
        subscription = try NetlinkSocket(groups: Netlink.groupLink | Netlink.groupNeighbour | Netlink.groupIPv4Route
            | Netlink.groupIPv6Route)
        shared = Mutex(Shared(table: EgressTable(capacity: capacity), requests: requests))
        self.apply = apply
        try startThread()
    }

    deinit { stop() }

    /// Stops the notification thread and waits for it. Idempotent.
    func stop() {
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing), let thread else { return }
        pthread_join(thread, nil)
    }

    // MARK: Use by routes

    /// A route uses `destinations`: the new ones are resolved now, before the caller answers the
    /// ChannelBind, so the kernel relays its first packets.
    func retain(_ destinations: [IPAddress]) {
        shared.withLock { shared in
            for destination in destinations where shared.table.retain(destination) {
                apply(resolve(destination, &shared))
            }
        }
    }

    func release(_ destinations: [IPAddress]) {
        shared.withLock { shared in
            for destination in destinations { apply(shared.table.release(destination)) }
        }
    }

    /// What the table decided, for statistics and tests.
    var snapshot: EgressTable { shared.withLock { $0.table } }
    var requestFailures: UInt64 { shared.withLock { $0.requestFailures } }
    var notificationResyncs: UInt64 { shared.withLock { $0.notificationResyncs } }

    // MARK: Lookups

    /// Asks the kernel about one destination and records the answers; returns the table's changes.
    private func resolve(_ destination: IPAddress, _ shared: inout Shared) -> [EgressChange] {
        guard shared.table.uses(destination) else { return [] }
        guard let routeReply = query({ NetlinkRequest.route(to: $0, sequence: $1) }, destination, &shared) else {
            return shared.table.resolved(destination, route: nil, link: nil, neighbour: nil)
        }
        let route: NetlinkRoute? = routeReply.lazy.compactMap { message -> NetlinkRoute? in
            if case .route(let route) = message.body { route } else { nil }
        }.first
        guard let route, let followable = EgressTable.followable(route, destination: destination) else {
            return shared.table.resolved(destination, route: route, link: nil, neighbour: nil)
        }
        let link = query({ NetlinkRequest.link(interfaceIndex: followable.interfaceIndex, sequence: $1) }, destination, &shared)?
            .lazy.compactMap { message -> NetlinkLink? in if case .link(let link) = message.body { link } else { nil } }.first
        let neighbour = query({ NetlinkRequest.neighbour(followable.nextHop, interfaceIndex: followable.interfaceIndex, sequence: $1) },
                              destination, &shared)?
            .lazy.compactMap { message -> NetlinkNeighbour? in
                if case .neighbour(let neighbour) = message.body { neighbour } else { nil }
            }.first
        return shared.table.resolved(destination, route: route, link: link, neighbour: neighbour)
    }

    /// One request and its reply; nil when the socket failed (counted). An NLMSG_ERROR reply
    /// (ENOENT: no such neighbour; ENETUNREACH: no route) comes back as a message.
    private func query(_ build: (IPAddress, UInt32) -> [UInt8], _ destination: IPAddress,
                       _ shared: inout Shared) -> [NetlinkMessage]? {
        shared.sequence &+= 1
        if shared.sequence == 0 { shared.sequence = 1 } // 0 is a notification's
        let sequence = shared.sequence
        do throws(NetlinkSocket.Failure) {
            return try shared.requests.request(build(destination, sequence), sequence: sequence)
        } catch {
            shared.requestFailures &+= 1
            return nil
        }
    }

    // MARK: Notifications

    private func startThread() throws(NetlinkSocket.Failure) {
        let context = Unmanaged.passRetained(self).toOpaque()
        var created = pthread_t()
        let result = pthread_create(&created, nil, { raw in
            let resolver = Unmanaged<EgressResolver>.fromOpaque(raw!).takeRetainedValue()
            resolver.watch()
            return nil
        }, context)
        guard result == 0 else {
            Unmanaged<EgressResolver>.fromOpaque(context).release()
            throw NetlinkSocket.Failure(operation: "pthread_create", errno: result)
        }
        thread = created
    }

    /// The notification loop: runs until `stop()`.
    private func watch() {
        while !stopping.load(ordering: .acquiring) {
            let datagram: [UInt8]?
            do throws(NetlinkSocket.Failure) {
                datagram = try subscription.receive(waitingAtMost: NetlinkSocket.pollMilliseconds)
            } catch {
                // ENOBUFS: notifications were lost, anything may have changed. Any other failure
                // (none is expected) is retried after a pause rather than in a tight loop.
                if error.errno != ENOBUFS { usleep(UInt32(NetlinkSocket.pollMilliseconds) * 1000) }
                resyncAll()
                continue
            }
            guard let datagram else { continue }
            handle(datagram)
        }
    }

    /// Applies one notification datagram; an unparseable one may have carried any change.
    func handle(_ datagram: [UInt8]) {
        let messages: [NetlinkMessage]
        do throws(NetlinkParseError) {
            messages = try NetlinkParser.parse(datagram)
        } catch {
            resyncAll()
            return
        }
        let again = shared.withLock { shared in
            var again = Set<IPAddress>()
            for message in messages {
                let (changes, resolveAgain) = shared.table.apply(message)
                apply(changes)
                again.formUnion(resolveAgain)
            }
            return again
        }
        resolveAgain(again)
    }

    /// Looks destinations up again, each under the lock on its own, so a route change with many
    /// destinations in use holds up a channel install for one lookup at most. A destination
    /// released meanwhile is skipped by the table.
    private func resolveAgain<Destinations: Sequence<IPAddress>>(_ destinations: Destinations) {
        for destination in destinations {
            guard !stopping.load(ordering: .relaxed) else { return }
            shared.withLock { shared in apply(resolve(destination, &shared)) }
        }
    }

    private func resyncAll() {
        let everything = shared.withLock { shared in
            shared.notificationResyncs &+= 1
            return shared.table.everything
        }
        resolveAgain(everything)
    }
}
