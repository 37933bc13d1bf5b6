import Logging
import NIOConcurrencyHelpers
import STUNWire
import TURNCore
import TurnpikeXDP

/// The kernel fast path as the server drives it (DESIGN.md, "Kernel fast path"): it receives the
/// cores' channel routes (`ChannelRouteSink`), keeps both map entries of every UDP channel binding
/// installed while the program is loaded, reads the kernel's counters periodically and hands
/// each allocation its share when the allocation ends.
///
/// Every live route is remembered whether or not the program is loaded yet, so a ChannelBind
/// answered between binding the listeners and attaching the program is installed at attach time.
/// The sink is called synchronously on the worker's event loop, before the core's next action:
/// the entries are in the maps before the ChannelBind success response is written.
public final class XDPDatapath: ChannelRouteSink, @unchecked Sendable {
    // @unchecked: all mutable state is in `state`, guarded by `lock`; `XDPProgram` is thread-safe.
    struct State {
        var program: XDPProgram?
        var attachments: [TurnpikeXDP.XDPAttachment] = []
        /// Attachments that were ours and are gone (detached from outside turnpike).
        var lostAttachments: [TurnpikeXDP.XDPAttachment] = []
        /// Every live route the fast path can carry, with its map form.
        var routes: [ChannelRoute: XDPChannelRoute] = [:]
        /// The kernel counters of each installed route at the last read.
        var lastSeen: [ChannelRoute: XDPRouteCounters] = [:]
        /// The kernel-relayed traffic per allocation, merged from its routes.
        var allocations: [AllocationKey: TrafficCounters] = [:]
        var totals = TrafficCounters()
        var reasons: [XDPReason: XDPReasonCounters] = [:]
        var installFailures: UInt64 = 0
        /// Each interface's readiness as of start (and later detaches).
        var interfaces: [XDPInterfaceReadiness] = []
        var warnedInstallFailure = false
    }

    /// Allocation ids are per core; with the 5-tuple they name one allocation server-wide.
    struct AllocationKey: Hashable {
        var id: AllocationID
        var fiveTuple: FiveTuple
    }

    let lock = NIOLock()
    var state = State()
    let logger: Logger
    public let configuration: ServerConfiguration.XDP

    public init(configuration: ServerConfiguration.XDP, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// The form of `route` the program can relay, or nil: only UDP clients on a listening
    /// address that names one address, relayed from a relay address that names one (a wildcard
    /// socket does not say which address a datagram used, so its channels stay in userspace).
    static func fastPathRoute(_ route: ChannelRoute) -> XDPChannelRoute? {
        guard route.fiveTuple.transport == .udp, !isUnspecified(route.fiveTuple.server.ip),
              !isUnspecified(route.relayed.ip) else { return nil }
        return XDPChannelRoute(
            client: route.fiveTuple.client, server: route.fiveTuple.server, channel: route.channel,
            relayed: route.relayed, peer: route.peer)
    }

    static func isUnspecified(_ address: IPAddress) -> Bool {
        switch address {
        case .v4(let v4): v4.rawValue == 0
        case .v6(let v6): v6.rawValue == 0
        }
    }

    // MARK: ChannelRouteSink

    /// A binding was made or refreshed (RFC 8656 §12.1): both map entries, before the response.
    public func install(_ route: ChannelRoute) {
        guard let mapped = Self.fastPathRoute(route) else { return }
        lock.withLock {
            state.routes[route] = mapped
            guard let program = state.program else { return }
            installLocked(route, mapped, program)
        }
    }

    /// The channel, its permission or its allocation ended: the last counters, then the entries.
    public func remove(_ route: ChannelRoute) {
        lock.withLock {
            guard let mapped = state.routes.removeValue(forKey: route) else { return }
            defer { state.lastSeen[route] = nil }
            guard let program = state.program else { return }
            if let counters = try? program.counters(for: mapped) { mergeLocked(route, counters) }
            do throws(XDPError) {
                try program.removeChannel(mapped)
            } catch {
                logger.warning("xdp: removing a channel route failed", metadata: [
                    "error": .string("\(error.code): \(error.diagnostics)"), "allocation": .string(route.allocation.description),
                ])
            }
        }
    }

    /// Called with `lock` held.
    func installLocked(_ route: ChannelRoute, _ mapped: XDPChannelRoute, _ program: XDPProgram) {
        do throws(XDPError) {
            try program.installChannel(mapped)
            // A fresh route index starts at zero; a refresh keeps its index and counters.
            if state.lastSeen[route] == nil { state.lastSeen[route] = XDPRouteCounters() }
        } catch {
            // Userspace relays what the kernel does not; one line, then only the count.
            state.installFailures &+= 1
            if !state.warnedInstallFailure {
                state.warnedInstallFailure = true
                logger.warning("xdp: installing a channel route failed; such channels are relayed in userspace", metadata: [
                    "error": .string("\(error.code): \(error.diagnostics)"),
                ])
            }
        }
    }

    /// Adds what a route relayed since the last read to its allocation and the totals. Called
    /// with `lock` held.
    func mergeLocked(_ route: ChannelRoute, _ counters: XDPRouteCounters) {
        let previous = state.lastSeen[route] ?? XDPRouteCounters()
        // Counters only grow while a route keeps its index; anything else is a fresh start.
        let grew = counters.toPeerPackets >= previous.toPeerPackets && counters.toClientPackets >= previous.toClientPackets
            && counters.toPeerBytes >= previous.toPeerBytes && counters.toClientBytes >= previous.toClientBytes
        let base = grew ? previous : XDPRouteCounters()
        let delta = TrafficCounters(XDPRouteCounters(
            toPeerPackets: counters.toPeerPackets - base.toPeerPackets, toPeerBytes: counters.toPeerBytes - base.toPeerBytes,
            toClientPackets: counters.toClientPackets - base.toClientPackets,
            toClientBytes: counters.toClientBytes - base.toClientBytes))
        state.lastSeen[route] = counters
        guard !delta.isZero else { return }
        state.allocations[AllocationKey(id: route.allocation, fiveTuple: route.fiveTuple), default: TrafficCounters()] += delta
        state.totals += delta
    }
}
